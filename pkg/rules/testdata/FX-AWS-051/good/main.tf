variable "expose" {
  type = bool
}

resource "aws_db_instance" "app" {
  identifier          = "app"
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 20
  publicly_accessible = false
}

resource "aws_db_instance" "default" {
  identifier        = "default"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
}

# Unknown until apply: no guess.
resource "aws_rds_cluster_instance" "aurora" {
  identifier          = "aurora-0"
  cluster_identifier  = "aurora"
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = var.expose
}
