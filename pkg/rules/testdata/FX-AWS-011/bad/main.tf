resource "aws_eks_cluster" "plain" { # want FX-AWS-011
  name     = "plain"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = ["subnet-1", "subnet-2"]
  }
}

resource "aws_eks_cluster" "wrong_resources" {
  name     = "wrong"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = ["subnet-1", "subnet-2"]
  }

  encryption_config {
    resources = [] # want FX-AWS-011
    provider {
      key_arn = "arn:aws:kms:eu-west-1:123456789012:key/abc"
    }
  }
}
