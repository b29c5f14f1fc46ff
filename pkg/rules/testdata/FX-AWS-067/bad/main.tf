variable "rotate" {
  default = false
}

resource "aws_kms_key" "artifacts" { # want FX-AWS-067
  description = "artifacts"
}

resource "aws_kms_key" "state" {
  description         = "terraform state"
  enable_key_rotation = false # want FX-AWS-067
}

resource "aws_kms_key" "logs" {
  count                    = 2
  description              = "logs ${count.index}"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  enable_key_rotation      = var.rotate # want FX-AWS-067
}
