variable "encrypt" {
  default = false
}

resource "aws_db_instance" "app" { # want FX-AWS-050
  identifier        = "app"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
}

resource "aws_db_instance" "reporting" {
  identifier        = "reporting"
  engine            = "mysql"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  storage_encrypted = false # want FX-AWS-050
}

resource "aws_rds_cluster" "aurora" { # want FX-AWS-050
  cluster_identifier = "aurora"
  engine             = "aurora-postgresql"
  engine_mode        = "provisioned"
}

resource "aws_rds_cluster" "shards" {
  count              = 2
  cluster_identifier = "shard-${count.index}"
  engine             = "aurora-mysql"
  storage_encrypted  = var.encrypt # want FX-AWS-050
}
