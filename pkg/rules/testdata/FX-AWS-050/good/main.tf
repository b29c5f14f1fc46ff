variable "encrypt_from_pipeline" {
  type = bool
}

resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  storage_encrypted = true
}

# A read replica takes its encryption from the source.
resource "aws_db_instance" "replica" {
  identifier          = "app-replica"
  instance_class      = "db.t4g.medium"
  replicate_source_db = aws_db_instance.app.identifier
}

# Aurora Serverless v1 is always encrypted (provider default true).
resource "aws_rds_cluster" "serverless" {
  cluster_identifier = "serverless"
  engine             = "aurora-mysql"
  engine_mode        = "serverless"
}

resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "aurora"
  engine             = "aurora-postgresql"
  storage_encrypted  = true
}

# Unknown until apply: no guess.
resource "aws_rds_cluster" "unknown" {
  cluster_identifier = "unknown"
  engine             = "aurora-postgresql"
  storage_encrypted  = var.encrypt_from_pipeline
}
