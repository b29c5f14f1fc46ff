locals {
  world = ["0.0.0.0/0"]
}

resource "aws_security_group" "inline" {
  name        = "inline"
  description = "inline"

  ingress {
    description = "all protocols"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"] # want FX-AWS-002
  }

  ingress {
    description      = "every tcp port, v6"
    from_port        = 0
    to_port          = 65535
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"] # want FX-AWS-002
  }
}

resource "aws_security_group_rule" "all_udp" {
  description       = "every udp port"
  type              = "ingress"
  from_port         = 1
  to_port           = 65535
  protocol          = "udp"
  cidr_blocks       = local.world # want FX-AWS-002
  security_group_id = "sg-123"
}

resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = "sg-123"
  description       = "everything"
  cidr_ipv4         = "0.0.0.0/0" # want FX-AWS-002
  ip_protocol       = "all"
}
