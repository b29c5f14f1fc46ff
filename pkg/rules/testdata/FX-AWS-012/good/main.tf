variable "tokens" {
  type = string
}

resource "aws_instance" "required" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
}

resource "aws_instance" "disabled" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  metadata_options {
    http_endpoint = "disabled"
  }
}

resource "aws_instance" "unknown" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  metadata_options {
    http_tokens = var.tokens
  }
}

resource "aws_launch_template" "required" {
  name_prefix = "web-"
  image_id    = "ami-123"

  metadata_options {
    http_tokens = "required"
  }
}

# The instance takes its metadata options from the launch template.
resource "aws_instance" "from_template" {
  launch_template {
    id = aws_launch_template.required.id
  }
}

resource "aws_launch_configuration" "required" {
  name_prefix   = "web-"
  image_id      = "ami-123"
  instance_type = "t3.micro"

  metadata_options {
    http_tokens = "required"
  }
}
