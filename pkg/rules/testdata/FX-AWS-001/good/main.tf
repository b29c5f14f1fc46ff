variable "office_cidr" {
  type = string
  # No default: the value is known only when planned, so no guess is made.
}

variable "ports" {
  type    = list(number)
  default = [443]
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web"

  # HTTPS from anywhere is what a public service is for.
  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # SSH from the VPN only.
  ingress {
    description = "SSH from the VPN"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16", "192.0.2.10/32"]
  }

  # SSH from a range that is unknown until plan.
  ingress {
    description = "SSH from the office"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.office_cidr]
  }

  # SSH from another security group.
  ingress {
    description     = "SSH from the bastion"
    from_port       = 22
    to_port         = 22
    protocol        = "tcp"
    security_groups = ["sg-bastion"]
  }

  # A high range that stops short of RDP and WinRM.
  ingress {
    description = "ephemeral"
    from_port   = 1024
    to_port     = 3388
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # ICMP type/code numbers are not ports.
  ingress {
    description = "ping"
    from_port   = 8
    to_port     = 0
    protocol    = "icmp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # SSH is not served over UDP.
  ingress {
    description = "udp 22"
    from_port   = 22
    to_port     = 22
    protocol    = "udp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # Egress to anywhere is not ingress.
  egress {
    description = "all out"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "dyn" {
  name        = "dyn"
  description = "dyn"

  dynamic "ingress" {
    for_each = var.ports
    content {
      description = "port ${ingress.value}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

resource "aws_security_group_rule" "egress_ssh" {
  description       = "SSH out to anywhere"
  type              = "egress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = "sg-123"
}

resource "aws_security_group_rule" "ssh_private" {
  description       = "SSH from the VPC"
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/16"]
  ipv6_cidr_blocks  = ["2001:db8::/32"]
  security_group_id = "sg-123"
}

resource "aws_vpc_security_group_ingress_rule" "from_prefix_list" {
  security_group_id = "sg-123"
  description       = "SSH from a prefix list"
  prefix_list_id    = "pl-123"
  from_port         = 22
  to_port           = 22
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "all_out" {
  security_group_id = "sg-123"
  description       = "everything out"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

# Unknown protocol: no guess.
resource "aws_vpc_security_group_ingress_rule" "unknown_proto" {
  security_group_id = "sg-123"
  description       = "unknown"
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 22
  to_port           = 22
  ip_protocol       = var.office_cidr
}

# count = 0 creates nothing.
resource "aws_security_group_rule" "disabled" {
  count             = 0
  description       = "SSH"
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = "sg-123"
}
