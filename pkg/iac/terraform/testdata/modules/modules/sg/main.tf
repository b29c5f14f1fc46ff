variable "name" {
  default = "sg"
}

variable "vpc_id" {
  default = null
}

resource "aws_security_group" "this" {
  name   = var.name
  vpc_id = var.vpc_id
}

output "sg_name" {
  value = aws_security_group.this.name
}
