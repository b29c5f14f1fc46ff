variable "db_password" {
  type      = string
  sensitive = true
}

resource "random_password" "db" {
  length = 32
}

resource "aws_db_instance" "managed" {
  identifier                    = "managed"
  engine                        = "postgres"
  instance_class                = "db.t4g.medium"
  allocated_storage             = 20
  username                      = "app"
  manage_master_user_password   = true
}

# Supplied at apply time.
resource "aws_db_instance" "from_var" {
  identifier        = "from-var"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  username          = "app"
  password          = var.db_password
}

resource "aws_rds_cluster" "generated" {
  cluster_identifier = "generated"
  engine             = "aurora-postgresql"
  master_username    = "admin"
  master_password    = random_password.db.result
}

data "aws_secretsmanager_secret_version" "db" {
  secret_id = "prod/db"
}

resource "aws_rds_cluster" "from_secret" {
  cluster_identifier = "from-secret"
  engine             = "aurora-postgresql"
  master_username    = "admin"
  master_password    = data.aws_secretsmanager_secret_version.db.secret_string
}
