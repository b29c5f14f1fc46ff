variable "ami_name" {
  type    = string
  default = "app-*"
}

data "aws_ami" "ubuntu" {
  most_recent = true # want FX-AWS-080
  owners      = ["099720109477"]

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

# A wildcard from a variable default, on every instance.
data "aws_ami" "app" {
  count       = 2
  most_recent = "true" # want FX-AWS-080
  owners      = ["self"]

  filter {
    name   = "name"
    values = [var.ami_name]
  }
}

# An exact name is not a pin when anyone may publish it.
data "aws_ami" "golden" {
  most_recent = true # want FX-AWS-080

  filter {
    name   = "name"
    values = ["golden-2024-06-01"]
  }
}

# No filter at all: the newest image the owner has.
data "aws_ami" "latest_own" {
  owners      = ["self"]
  most_recent = true # want FX-AWS-080
}
