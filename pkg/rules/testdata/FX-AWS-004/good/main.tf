# The default group managed with no rules: AWS's own rules are removed.
resource "aws_default_security_group" "default" {
  vpc_id = "vpc-123"
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web"

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "onto_web" {
  security_group_id = aws_security_group.web.id
  description       = "HTTPS"
  cidr_ipv4         = "10.0.0.0/8"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}
