resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ecr:PutImage", "ecr:UploadLayerPart"]
        Resource = "arn:aws:ecr:eu-west-1:111122223333:repository/app"
      },
      # Everything, but only on one bucket.
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = ["arn:aws:s3:::scratch", "arn:aws:s3:::scratch/*"]
      },
      # A service wildcard is FX-AWS-062, not this rule.
      {
        Effect   = "Allow"
        Action   = "s3:*"
        Resource = "*"
      },
      # A deny of everything is a guard rail.
      {
        Effect   = "Deny"
        Action   = "*"
        Resource = "*"
        Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1"] } }
      },
    ]
  })
}

data "aws_iam_policy_document" "guard" {
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
  }
  # All but IAM: not "all actions" (FX-AWS-061 looks at what NotAction lets through).
  statement {
    not_actions = ["iam:*", "organizations:*"]
    resources   = ["*"]
  }
}

# A resource policy (it names principals) is not an identity policy.
data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

# Not JSON: the rule cannot tell.
resource "aws_iam_user_policy" "broken" {
  user   = "ops"
  policy = "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\""
}

# Unknown until apply.
variable "policy_from_pipeline" {
  type = string
}

resource "aws_iam_role_policy" "unknown" {
  role   = "ci"
  policy = var.policy_from_pipeline
}

# Unknown until apply, so not "*": every action, but on one bucket's ARN;
# and an effect from a variable without a value.
variable "effect" {}

resource "aws_s3_bucket" "scratch" {
  bucket_prefix = "scratch-"
}

resource "aws_iam_policy" "scratch" {
  name = "scratch"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = [aws_s3_bucket.scratch.arn, "${aws_s3_bucket.scratch.arn}/*"]
      },
      {
        Effect   = "${var.effect}"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}
