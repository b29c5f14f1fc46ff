variable "key_from_pipeline" {
  type = string
}

resource "aws_kms_key" "logs" {
  enable_key_rotation = true
}

resource "aws_cloudwatch_log_group" "app" {
  name       = "/app/web"
  kms_key_id = aws_kms_key.logs.arn
}

resource "aws_cloudwatch_log_group" "unknown" {
  name       = "/app/unknown"
  kms_key_id = var.key_from_pipeline
}
