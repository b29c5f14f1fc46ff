variable "encrypt" {
  type    = bool
  default = false
}

resource "aws_ebs_volume" "implicit" { # want FX-AWS-021
  availability_zone = "eu-west-1a"
  size              = 40
}

resource "aws_ebs_volume" "explicit" {
  availability_zone = "eu-west-1a"
  size              = 40
  encrypted         = var.encrypt # want FX-AWS-021
}
