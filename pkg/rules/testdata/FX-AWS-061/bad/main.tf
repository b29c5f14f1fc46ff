resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({ # want FX-AWS-061
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ec2:RunInstances", "iam:PassRole"]
        Resource = "*"
      },
    ]
  })
}

# iam:* on every role of the account.
resource "aws_iam_role_policy" "ci" {
  role = "ci"
  policy = /* # want FX-AWS-061 */ <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iam:*",
      "Resource": "arn:aws:iam::111122223333:role/*"
    }
  ]
}
EOF
}

# NotAction lets iam:PassRole through.
resource "aws_iam_user_policy" "ops" {
  user   = "ops"
  policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":[\"s3:*\",\"kms:*\"],\"Resource\":\"*\"}]}" # want FX-AWS-061
}

data "aws_iam_policy_document" "launcher" {
  statement {
    actions   = ["ecs:RunTask"]
    resources = ["*"]
  }

  statement { # want FX-AWS-061
    actions   = ["iam:Pass*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "launcher" {
  count  = 2
  name   = "launcher-${count.index}"
  policy = data.aws_iam_policy_document.launcher.json
}

resource "aws_iam_role" "pipeline" {
  name = "pipeline"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })

  inline_policy {
    name = "pass"
    policy = jsonencode({ # want FX-AWS-061
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = ["*"] }]
    })
  }
}
