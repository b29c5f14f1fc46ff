variable "public" {
  type    = bool
  default = true
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
  publicly_accessible    = true # want FX-AWS-092
}

resource "aws_redshift_cluster" "sandbox" {
  count                  = 2
  cluster_identifier     = "sandbox-${count.index}"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
  publicly_accessible    = var.public # want FX-AWS-092
}
