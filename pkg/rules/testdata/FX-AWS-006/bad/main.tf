variable "public" {
  type    = bool
  default = true
}

resource "aws_subnet" "public" {
  vpc_id                  = "vpc-123"
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true # want FX-AWS-006
}

resource "aws_subnet" "from_var" {
  count                   = 2
  vpc_id                  = "vpc-123"
  cidr_block              = cidrsubnet("10.0.0.0/16", 8, count.index + 10)
  map_public_ip_on_launch = var.public # want FX-AWS-006
}

resource "aws_default_subnet" "default" {
  availability_zone       = "eu-west-1a"
  map_public_ip_on_launch = "true" # want FX-AWS-006
}
