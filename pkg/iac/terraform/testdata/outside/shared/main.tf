variable "name" {}

resource "aws_kms_key" "k" {
  description = var.name
}
