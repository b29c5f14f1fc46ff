variable "db_port" {
  type    = number
  default = 5432
}

resource "aws_security_group" "db" {
  name        = "db"
  description = "db"

  ingress {
    description = "PostgreSQL"
    from_port   = var.db_port
    to_port     = var.db_port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # want FX-AWS-003
  }

  ingress {
    description = "a range over Redis and Elasticsearch"
    from_port   = 6000
    to_port     = 9999
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # want FX-AWS-003
  }
}

resource "aws_security_group_rule" "mysql" {
  description       = "MySQL"
  type              = "ingress"
  from_port         = 3306
  to_port           = 3306
  protocol          = "tcp"
  ipv6_cidr_blocks  = ["::/0"] # want FX-AWS-003
  security_group_id = "sg-123"
}

resource "aws_vpc_security_group_ingress_rule" "memcached_udp" {
  security_group_id = "sg-123"
  description       = "Memcached UDP"
  cidr_ipv4         = "0.0.0.0/0" # want FX-AWS-003
  from_port         = 11211
  to_port           = 11211
  ip_protocol       = "udp"
}

resource "aws_vpc_security_group_ingress_rule" "mongo" {
  security_group_id = "sg-123"
  description       = "MongoDB"
  cidr_ipv4         = "0.0.0.0/0" # want FX-AWS-003
  from_port         = 27017
  to_port           = 27017
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_ingress_rule" "all" {
  security_group_id = "sg-123"
  description       = "everything"
  cidr_ipv6         = "::/0" # want FX-AWS-003
  ip_protocol       = "-1"
}
