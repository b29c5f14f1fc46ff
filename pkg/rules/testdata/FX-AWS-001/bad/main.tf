variable "admin_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

variable "unknown_cidr" {
  type = string
}

locals {
  anywhere_v6 = "::/0"
  admin_rules = [
    { port = 3389, cidr = "0.0.0.0/0" },
    { port = 5986, cidr = "0.0.0.0/0" },
  ]
}

# Inline ingress, exactly port 22.
resource "aws_security_group" "ssh" {
  name        = "ssh"
  description = "SSH"
  vpc_id      = "vpc-123"

  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # want FX-AWS-001
  }
}

# A tcp range covering every admin port, IPv6 only.
resource "aws_security_group" "range" {
  name        = "range"
  description = "range"

  ingress {
    description      = "everything over tcp"
    from_port        = 0
    to_port          = 65535
    protocol         = "tcp"
    cidr_blocks      = ["10.0.0.0/8"]
    ipv6_cidr_blocks = ["::/0"] # want FX-AWS-001
  }
}

# Protocol -1 is all ports; the CIDR comes from a variable default.
resource "aws_security_group" "all" {
  name        = "all"
  description = "all"

  ingress {
    description = "all traffic"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = var.admin_cidrs # want FX-AWS-001
  }
}

# The attribute form of ingress, CIDR from a local; an unknown element
# beside the known /0 does not hide it.
resource "aws_security_group" "attr_form" {
  name        = "attr-form"
  description = "attribute form"
  ingress = [{ # want FX-AWS-001
    description      = "RDP"
    from_port        = 3389
    to_port          = 3389
    protocol         = "tcp"
    cidr_blocks      = [var.unknown_cidr]
    ipv6_cidr_blocks = [local.anywhere_v6]
    prefix_list_ids  = []
    security_groups  = []
    self             = false
  }]
}

# A dynamic block: two generated rules share the attribute line.
resource "aws_security_group" "dynamic" {
  name        = "dynamic"
  description = "dynamic"

  dynamic "ingress" {
    for_each = local.admin_rules
    content {
      description = "admin ${ingress.value.port}"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr] # want FX-AWS-001
    }
  }
}

# Standalone rule, with count.
resource "aws_security_group_rule" "ssh" {
  count             = 2
  description       = "SSH"
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "6"
  cidr_blocks       = ["0.0.0.0/0"] # want FX-AWS-001
  security_group_id = "sg-123"
}

# The newer per-rule resource, WinRM over a range, IPv4.
resource "aws_vpc_security_group_ingress_rule" "winrm" {
  security_group_id = aws_security_group.ssh.id
  description       = "WinRM"
  cidr_ipv4         = "0.0.0.0/0" # want FX-AWS-001
  from_port         = 5985
  to_port           = 5986
  ip_protocol       = "tcp"
}

# ... and all protocols over IPv6.
resource "aws_vpc_security_group_ingress_rule" "all_v6" {
  security_group_id = aws_security_group.ssh.id
  description       = "everything"
  cidr_ipv6         = "::/0" # want FX-AWS-001
  ip_protocol       = "-1"
}

# RDP listens on UDP as well.
resource "aws_vpc_security_group_ingress_rule" "rdp_udp" {
  security_group_id = aws_security_group.ssh.id
  description       = "RDP over UDP"
  cidr_ipv4         = "0.0.0.0/0" # want FX-AWS-001
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "udp"
}

# The default security group counts too.
resource "aws_default_security_group" "default" {
  vpc_id = "vpc-123"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # want FX-AWS-001
  }
}
