# jsonencode on a managed policy: the deploy role's policy.
resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({ # want FX-AWS-060
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ec2:RunInstances"]
        Resource = "arn:aws:ec2:*:111122223333:instance/*"
      },
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["*"]
        Resource = ["*"]
      },
    ]
  })
}

# A heredoc on a role policy.
resource "aws_iam_role_policy" "ci" {
  role = "ci"
  policy = /* # want FX-AWS-060 */ <<EOF
{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Action": "*:*",
    "Resource": "*"
  }
}
EOF
}

# A literal string on a user policy.
resource "aws_iam_user_policy" "ops" {
  user   = "ops"
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}" # want FX-AWS-060
}

# A policy document: the finding is on the statement block.
data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::artifacts/*"]
  }

  statement { # want FX-AWS-060
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_group_policy" "admins" {
  group  = "admins"
  policy = data.aws_iam_policy_document.admin.json
}

# A role's inline_policy block, with the JSON in a local.
locals {
  everything = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_role" "pipeline" {
  name = "pipeline"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })

  inline_policy {
    name   = "everything"
    policy = local.everything # want FX-AWS-060
  }
}

# A variable default, with count.
variable "policy_json" {
  default = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"
}

resource "aws_iam_policy" "counted" {
  count  = 2
  name   = "counted-${count.index}"
  policy = var.policy_json # want FX-AWS-060
}

# A document in a module, used there.
module "deployer" {
  source = "./modules/deployer"
}

# jsonencode whose JSON is unknown until apply (one statement names a bucket
# ARN): the other statement still grants everything.
resource "aws_s3_bucket" "artifacts" {
  bucket_prefix = "artifacts-"
}

resource "aws_iam_policy" "mixed" {
  name = "mixed"
  policy = jsonencode({ # want FX-AWS-060
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = "${aws_s3_bucket.artifacts.arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
