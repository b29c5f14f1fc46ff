variable "db_password" {
  default   = "Sup3rS3cret!"
  sensitive = true
}

locals {
  cluster_password = "an0ther-s3cret"
}

resource "aws_db_instance" "app" {
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  username          = "app"
  password          = "hunter2-but-longer" # want FX-AWS-052
}

resource "aws_db_instance" "reporting" {
  count             = 2
  identifier        = "reporting-${count.index}"
  engine            = "mysql"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  username          = "admin"
  password          = var.db_password # want FX-AWS-052
}

resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "aurora"
  engine             = "aurora-postgresql"
  master_username    = "admin"
  master_password    = local.cluster_password # want FX-AWS-052
}
