variable "ami_id" {
  type = string
}

variable "latest" {
  type = bool
}

variable "image_name" {
  type = string
}

# Pinned by ID: most_recent has nothing to choose between.
data "aws_ami" "pinned" {
  most_recent = true
  owners      = ["self"]

  filter {
    name   = "image-id"
    values = [var.ami_id]
  }
}

# An exact name from a known owner is one image.
data "aws_ami" "exact" {
  most_recent = true
  owners      = ["123456789012"]

  filter {
    name   = "name"
    values = ["app-2024-06-01T10-00"]
  }
}

data "aws_ami" "exact_alias" {
  most_recent = true

  filter {
    name   = "owner-alias"
    values = ["amazon"]
  }

  filter {
    name   = "name"
    values = ["al2023-ami-2023.4.20240611.0-kernel-6.1-x86_64"]
  }
}

data "aws_ami" "not_recent" {
  most_recent = false
  owners      = ["self"]

  filter {
    name   = "name"
    values = ["app-*"]
  }
}

data "aws_ami" "unset" {
  owners = ["self"]

  filter {
    name   = "name"
    values = ["app-2024-*"]
  }
}

# Unknown until apply: say nothing.
data "aws_ami" "unknown_flag" {
  most_recent = var.latest
  owners      = ["self"]

  filter {
    name   = "name"
    values = ["app-*"]
  }
}

data "aws_ami" "unknown_name" {
  most_recent = true
  owners      = ["self"]

  filter {
    name   = "name"
    values = [var.image_name]
  }
}
