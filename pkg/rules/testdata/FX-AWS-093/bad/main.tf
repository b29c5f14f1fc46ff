variable "protect" {
  type    = bool
  default = false
}

resource "aws_db_instance" "app" { # want FX-AWS-093
  identifier                  = "app"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 20
  username                    = "app"
  manage_master_user_password = true
  storage_encrypted           = true
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier          = "orders"
  engine                      = "aurora-postgresql"
  master_username             = "orders"
  manage_master_user_password = true
  deletion_protection         = false # want FX-AWS-093
}

resource "aws_db_instance" "tenants" {
  count                       = 2
  identifier                  = "tenant-${count.index}"
  engine                      = "mysql"
  instance_class              = "db.t4g.small"
  allocated_storage           = 20
  username                    = "tenant"
  manage_master_user_password = true
  deletion_protection         = var.protect # want FX-AWS-093
}
