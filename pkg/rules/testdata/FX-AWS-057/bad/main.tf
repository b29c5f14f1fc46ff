locals {
  sse = false
}

resource "aws_sqs_queue" "jobs" {
  name                    = "jobs"
  sqs_managed_sse_enabled = false # want FX-AWS-057
}

resource "aws_sqs_queue" "dead_letters" {
  count                   = 2
  name                    = "dlq-${count.index}"
  kms_master_key_id       = ""
  sqs_managed_sse_enabled = local.sse # want FX-AWS-057
}
