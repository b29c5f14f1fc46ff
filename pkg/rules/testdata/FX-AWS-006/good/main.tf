variable "public" {
  type = bool
}

resource "aws_subnet" "private" {
  vpc_id     = "vpc-123"
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "explicit" {
  vpc_id                  = "vpc-123"
  cidr_block              = "10.0.2.0/24"
  map_public_ip_on_launch = false
}

resource "aws_subnet" "unknown" {
  vpc_id                  = "vpc-123"
  cidr_block              = "10.0.3.0/24"
  map_public_ip_on_launch = var.public
}
