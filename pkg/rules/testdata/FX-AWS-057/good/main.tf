resource "aws_kms_key" "sqs" {
  enable_key_rotation = true
}

# SSE-SQS is on by default for new queues.
resource "aws_sqs_queue" "default" {
  name = "default"
}

resource "aws_sqs_queue" "managed" {
  name                    = "managed"
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue" "kms" {
  name                    = "kms"
  kms_master_key_id       = aws_kms_key.sqs.arn
  sqs_managed_sse_enabled = false
}

resource "aws_sqs_queue" "aws_managed_key" {
  name                    = "aws-managed-key"
  kms_master_key_id       = "alias/aws/sqs"
  sqs_managed_sse_enabled = false
}
