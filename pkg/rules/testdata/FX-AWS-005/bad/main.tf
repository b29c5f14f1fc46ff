resource "aws_security_group" "no_description" { # want FX-AWS-005
  name = "no-description"

  ingress { # want FX-AWS-005
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "" # want FX-AWS-005
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "placeholder" {
  name        = "placeholder"
  description = "Managed by Terraform" # want FX-AWS-005
}

resource "aws_security_group_rule" "bare" { # want FX-AWS-005
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  security_group_id = "sg-123"
}

resource "aws_vpc_security_group_ingress_rule" "bare" { # want FX-AWS-005
  security_group_id = "sg-123"
  cidr_ipv4         = "10.0.0.0/8"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "null_description" {
  security_group_id = "sg-123"
  description       = null # want FX-AWS-005
  cidr_ipv4         = "10.0.0.0/8"
  ip_protocol       = "-1"
}
