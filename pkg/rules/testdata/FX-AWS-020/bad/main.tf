resource "aws_instance" "bastion" { # want FX-AWS-020
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_instance" "workers" { # want FX-AWS-020
  count         = 2
  ami           = "ami-123"
  instance_type = "t3.micro"
}
