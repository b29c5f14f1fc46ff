variable "topic_key" {
  default = ""
}

resource "aws_sns_topic" "deploys" { # want FX-AWS-056
  name = "deploys"
}

resource "aws_sns_topic" "alarms" {
  count             = 2
  name              = "alarms-${count.index}"
  kms_master_key_id = var.topic_key # want FX-AWS-056
}
