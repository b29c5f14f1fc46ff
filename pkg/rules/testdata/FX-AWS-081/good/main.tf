variable "owner" {
  type = string
}

variable "ami_id" {
  type = string
}

data "aws_ami" "self" {
  most_recent = true
  owners      = ["self"]

  filter {
    name   = "name"
    values = ["app-*"]
  }
}

data "aws_ami" "vendor" {
  most_recent = true
  owners      = ["099720109477"]

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}

data "aws_ami" "owner_filter" {
  most_recent = true

  filter {
    name   = "owner-id"
    values = ["137112412989"]
  }

  filter {
    name   = "name"
    values = ["al2023-ami-*"]
  }
}

data "aws_ami" "alias_filter" {
  most_recent = true

  filter {
    name   = "owner-alias"
    values = ["amazon"]
  }
}

# Unknown until apply: it might name the right owner.
data "aws_ami" "unknown_owner" {
  owners = [var.owner]

  filter {
    name   = "name"
    values = ["app-*"]
  }
}

data "aws_ami" "by_id" {
  filter {
    name   = "image-id"
    values = [var.ami_id]
  }
}
