resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "iam:PassRole"
        Resource  = "arn:aws:iam::111122223333:role/app-instance"
        Condition = { StringEquals = { "iam:PassedToService" = "ec2.amazonaws.com" } }
      },
      {
        Effect   = "Allow"
        Action   = "iam:Get*"
        Resource = "*"
      },
      {
        Effect   = "Deny"
        Action   = "iam:PassRole"
        Resource = "*"
      },
    ]
  })
}

# All actions on all resources is FX-AWS-060's finding, not a second one here.
resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"
}

data "aws_iam_policy_document" "no_iam" {
  statement {
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
  statement {
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::111122223333:role/ecs-task-*"]
  }
}
