resource "aws_instance" "no_options" { # want FX-AWS-012
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_instance" "optional" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional" # want FX-AWS-012
  }
}

resource "aws_launch_template" "no_tokens" {
  name_prefix = "web-"
  image_id    = "ami-123"

  metadata_options { # want FX-AWS-012
    http_endpoint = "enabled"
  }
}

resource "aws_launch_configuration" "bare" { # want FX-AWS-012
  name_prefix   = "web-"
  image_id      = "ami-123"
  instance_type = "t3.micro"
}

# An instance from a launch template may still weaken it explicitly.
resource "aws_instance" "from_template" {
  launch_template {
    id = aws_launch_template.no_tokens.id
  }

  metadata_options {
    http_tokens = "optional" # want FX-AWS-012
  }
}
