resource "aws_default_security_group" "default" {
  vpc_id = "vpc-123"

  ingress { # want FX-AWS-004
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }

  egress { # want FX-AWS-004
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_default_security_group" "attr_form" {
  vpc_id = "vpc-456"
  egress = [{ # want FX-AWS-004
    description      = "all out"
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = []
    prefix_list_ids  = []
    security_groups  = []
    self             = false
  }]
}

resource "aws_vpc_security_group_ingress_rule" "onto_default" {
  security_group_id = aws_default_security_group.default.id # want FX-AWS-004
  description       = "HTTPS"
  cidr_ipv4         = "10.0.0.0/8"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}
