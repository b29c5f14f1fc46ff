variable "key" {
  type    = string
  default = null
}

variable "unknown_key" {
  type = string
}

resource "aws_instance" "no_key" {
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_instance" "null_key" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  key_name      = var.key
}

resource "aws_launch_template" "unknown" {
  image_id = "ami-123"
  key_name = var.unknown_key
}
