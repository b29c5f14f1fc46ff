resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:List*"]
        Resource = "arn:aws:s3:::artifacts/*"
      },
      {
        Effect   = "Deny"
        Action   = "iam:*"
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "arn:aws:s3:::scratch/*"
      },
    ]
  })
}

data "aws_iam_policy_document" "ci" {
  statement {
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = ["*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::audit-logs/*"]
  }
}
