variable "ami_owners" {
  type    = list(string)
  default = []
}

data "aws_ami" "web" { # want FX-AWS-081
  most_recent = true

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}

data "aws_ami" "empty" {
  owners      = [] # want FX-AWS-081
  most_recent = true

  filter {
    name   = "name"
    values = ["amzn2-ami-hvm-*"]
  }
}

data "aws_ami" "from_var" {
  count  = 2
  owners = var.ami_owners # want FX-AWS-081

  filter {
    name   = "name"
    values = ["golden-image"]
  }
}

# Tags are set by whoever owns the image, so they restrict nothing.
data "aws_ami" "by_tag" { # want FX-AWS-081
  filter {
    name   = "tag:Role"
    values = ["web"]
  }
}
