variable "protect" {
  type = bool
}

resource "aws_db_instance" "app" {
  identifier                  = "app"
  engine                      = "postgres"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 20
  username                    = "app"
  manage_master_user_password = true
  deletion_protection         = true
}

# A read replica holds no data of its own.
resource "aws_db_instance" "replica" {
  identifier          = "app-replica"
  replicate_source_db = aws_db_instance.app.identifier
  instance_class      = "db.t4g.medium"
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier          = "orders"
  engine                      = "aurora-postgresql"
  master_username             = "orders"
  manage_master_user_password = true
  deletion_protection         = "true"
}

resource "aws_rds_cluster" "unknown" {
  cluster_identifier          = "unknown"
  engine                      = "aurora-postgresql"
  master_username             = "unknown"
  manage_master_user_password = true
  deletion_protection         = var.protect
}
