variable "policy_arn" {
  type = string
}

data "aws_iam_policy" "readonly" {
  name = "ReadOnlyAccess"
}

resource "aws_iam_policy" "deploy" {
  name   = "deploy"
  policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:PutImage\",\"Resource\":\"*\"}]}"
}

resource "aws_iam_role_policy_attachment" "readonly" {
  role       = "deploy"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# A different managed policy whose name starts the same.
resource "aws_iam_role_policy_attachment" "amplify" {
  role       = "amplify"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"
}

resource "aws_iam_role_policy_attachment" "lookup" {
  role       = "deploy"
  policy_arn = data.aws_iam_policy.readonly.arn
}

resource "aws_iam_role_policy_attachment" "custom" {
  role       = "deploy"
  policy_arn = aws_iam_policy.deploy.arn
}

# Unknown until apply.
resource "aws_iam_user_policy_attachment" "unknown" {
  user       = "ci"
  policy_arn = var.policy_arn
}
