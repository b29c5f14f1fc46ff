variable "public" {
  type = bool
}

resource "aws_instance" "private" {
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_instance" "explicit" {
  ami                         = "ami-123"
  instance_type               = "t3.micro"
  associate_public_ip_address = false
}

resource "aws_instance" "unknown" {
  ami                         = "ami-123"
  instance_type               = "t3.micro"
  associate_public_ip_address = var.public
}

resource "aws_launch_template" "web" {
  image_id = "ami-123"

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = "false"
  }
}
