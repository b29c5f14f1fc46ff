variable "encrypted" {
  type    = string
  default = "false"
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier     = "warehouse"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
  encrypted              = false # want FX-AWS-091
}

resource "aws_redshift_cluster" "per_region" {
  count                  = 2
  cluster_identifier     = "analytics-${count.index}"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
  encrypted              = var.encrypted # want FX-AWS-091
}
