variable "subnet" {}
variable "vpc" {}

resource "aws_thing" "inner" {
  subnet_id  = var.subnet.id
  cidr       = var.subnet.cidr_block
  default_sg = var.vpc.default_security_group_id
}

output "subnet_arn" {
  value = var.subnet.arn
}

output "vpc" {
  value = var.vpc
}
