# IMDSv2 required account-wide: leaving metadata_options out is fine, but
# an explicit "optional" still weakens it.
resource "aws_ec2_instance_metadata_defaults" "this" {
  http_tokens = "required"
}

resource "aws_instance" "inherits" {
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_launch_template" "inherits" {
  image_id = "ami-123"

  metadata_options {
    http_endpoint = "enabled"
  }
}

resource "aws_instance" "weakens" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  metadata_options {
    http_tokens = "optional" # want FX-AWS-012
  }
}
