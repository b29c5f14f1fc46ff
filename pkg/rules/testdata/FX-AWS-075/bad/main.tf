resource "aws_cloudwatch_log_group" "app" { # want FX-AWS-075
  name              = "/app/web"
  retention_in_days = 90
}

resource "aws_cloudwatch_log_group" "workers" {
  count      = 2
  name       = "/app/worker-${count.index}"
  kms_key_id = "" # want FX-AWS-075
}
