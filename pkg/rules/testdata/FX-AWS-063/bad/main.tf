resource "aws_iam_role" "cross_account" {
  name = "cross-account"
  assume_role_policy = jsonencode({ # want FX-AWS-063
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role" "legacy" {
  name               = "legacy"
  assume_role_policy = /* # want FX-AWS-063 */ <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": ["sts:AssumeRole", "sts:TagSession"]
    }
  ]
}
EOF
}

# Document used as the trust policy: the finding is on its statement.
data "aws_iam_policy_document" "deploy_trust" {
  statement { # want FX-AWS-063
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root", "*"]
    }
  }
}

resource "aws_iam_role" "deploy" {
  count              = 2
  name               = "deploy-${count.index}"
  assume_role_policy = data.aws_iam_policy_document.deploy_trust.json
}

# GitHub Actions OIDC with only an audience condition: every repository on
# GitHub can assume this deploy role.
data "aws_iam_policy_document" "github" {
  statement { # want FX-AWS-063
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "github_deploy" {
  name               = "github-deploy"
  assume_role_policy = data.aws_iam_policy_document.github.json
}

# A trust document not (visibly) attached to a role is still a trust document.
data "aws_iam_policy_document" "shared_trust" {
  statement { # want FX-AWS-063
    actions = ["sts:AssumeRole"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

# NotPrincipal in a trust policy: everyone but one account.
variable "trust_json" {
  default = "{\"Statement\":[{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]}"
}

resource "aws_iam_role" "not_principal" {
  name               = "not-principal"
  assume_role_policy = var.trust_json # want FX-AWS-063
}
