variable "public" {
  type    = bool
  default = true
}

resource "aws_instance" "web" {
  ami                         = "ami-123"
  instance_type               = "t3.micro"
  associate_public_ip_address = true # want FX-AWS-013
}

resource "aws_launch_configuration" "web" {
  image_id                    = "ami-123"
  instance_type               = "t3.micro"
  associate_public_ip_address = var.public # want FX-AWS-013
}

resource "aws_launch_template" "web" {
  image_id = "ami-123"

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = "true" # want FX-AWS-013
  }
}
