variable "log_types" {
  default = ["api", "authenticator"]
}

resource "aws_eks_cluster" "main" { # want FX-AWS-076
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = ["subnet-1", "subnet-2"]
  }
}

resource "aws_eks_cluster" "staging" {
  name                      = "staging"
  role_arn                  = "arn:aws:iam::111122223333:role/eks"
  enabled_cluster_log_types = var.log_types # want FX-AWS-076
  vpc_config {
    subnet_ids = ["subnet-1", "subnet-2"]
  }
}

resource "aws_eks_cluster" "dev" {
  count                     = 2
  name                      = "dev-${count.index}"
  role_arn                  = "arn:aws:iam::111122223333:role/eks"
  enabled_cluster_log_types = [] # want FX-AWS-076
  vpc_config {
    subnet_ids = ["subnet-1", "subnet-2"]
  }
}
