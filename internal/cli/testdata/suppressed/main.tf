resource "aws_security_group" "bastion" { # fixity:ignore FX-AWS-001 break-glass host, removed in the next release
  name        = "bastion"
  description = "Bastion host"

  ingress {
    description = "SSH for debugging"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecr_repository" "web" {
  name                 = "web"
  image_tag_mutability = "MUTABLE"

  image_scanning_configuration {
    scan_on_push = false
  }
}
