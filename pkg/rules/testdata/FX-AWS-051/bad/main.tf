locals {
  expose = true
}

resource "aws_db_instance" "app" {
  identifier          = "app"
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 20
  storage_encrypted   = true
  publicly_accessible = true # want FX-AWS-051
}

resource "aws_rds_cluster_instance" "aurora" {
  count               = 2
  identifier          = "aurora-${count.index}"
  cluster_identifier  = "aurora"
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = local.expose # want FX-AWS-051
}
