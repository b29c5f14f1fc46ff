resource "aws_dax_cluster" "cache" { # want FX-AWS-055
  cluster_name       = "cache"
  iam_role_arn       = "arn:aws:iam::111122223333:role/dax"
  node_type          = "dax.r4.large"
  replication_factor = 1
}

resource "aws_dax_cluster" "sessions" {
  cluster_name       = "sessions"
  iam_role_arn       = "arn:aws:iam::111122223333:role/dax"
  node_type          = "dax.r4.large"
  replication_factor = 1
  server_side_encryption {
    enabled = false # want FX-AWS-055
  }
}

resource "aws_dax_cluster" "empty" {
  cluster_name       = "empty"
  iam_role_arn       = "arn:aws:iam::111122223333:role/dax"
  node_type          = "dax.r4.large"
  replication_factor = 1
  server_side_encryption { # want FX-AWS-055
  }
}
