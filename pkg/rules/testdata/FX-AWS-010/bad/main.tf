variable "api_cidrs" {
  type    = list(string)
  default = ["203.0.113.0/24", "0.0.0.0/0"]
}

# Public access is the default and public_access_cidrs defaults to the world.
resource "aws_eks_cluster" "implicit" {
  name     = "implicit"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config { # want FX-AWS-010
    subnet_ids = ["subnet-1", "subnet-2"]
  }
}

resource "aws_eks_cluster" "explicit" {
  name     = "explicit"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids             = ["subnet-1", "subnet-2"]
    endpoint_public_access = true # want FX-AWS-010
  }
}

resource "aws_eks_cluster" "open_cidrs" {
  name     = "open-cidrs"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids          = ["subnet-1", "subnet-2"]
    public_access_cidrs = var.api_cidrs # want FX-AWS-010
  }
}
