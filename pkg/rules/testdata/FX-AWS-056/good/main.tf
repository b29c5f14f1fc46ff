variable "key_from_pipeline" {
  type = string
}

resource "aws_kms_key" "sns" {
  enable_key_rotation = true
}

resource "aws_sns_topic" "deploys" {
  name              = "deploys"
  kms_master_key_id = aws_kms_key.sns.arn
}

resource "aws_sns_topic" "alarms" {
  name              = "alarms"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic" "unknown" {
  name              = "unknown"
  kms_master_key_id = var.key_from_pipeline
}
