variable "purpose" {
  type = string
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "Public web tier"

  ingress {
    description = "HTTPS from anywhere"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = var.purpose # unknown: no guess
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "described" {
  description       = "HTTPS from the VPC"
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  security_group_id = "sg-123"
}

resource "aws_vpc_security_group_egress_rule" "described" {
  security_group_id = "sg-123"
  description       = "All traffic to the VPC"
  cidr_ipv4         = "10.0.0.0/8"
  ip_protocol       = "-1"
}

# The default group takes no description of its own.
resource "aws_default_security_group" "default" {
  vpc_id = "vpc-123"
}
