locals {
  admin_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy_attachment" "deploy" {
  role       = "deploy"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess" # want FX-AWS-066
}

resource "aws_iam_user_policy_attachment" "ci" {
  count      = 2
  user       = "ci-${count.index}"
  policy_arn = local.admin_arn # want FX-AWS-066
}

resource "aws_iam_group_policy_attachment" "gov" {
  group      = "admins"
  policy_arn = "arn:aws-us-gov:iam::aws:policy/AdministratorAccess" # want FX-AWS-066
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  roles      = ["ops"]
  policy_arn = local.admin_arn # want FX-AWS-066
}

# Looked up by name: the ARN is unknown until plan, the lookup is not.
data "aws_iam_policy" "admin" {
  name = "AdministratorAccess"
}

resource "aws_iam_role_policy_attachment" "pipeline" {
  role       = "pipeline"
  policy_arn = data.aws_iam_policy.admin.arn # want FX-AWS-066
}

resource "aws_iam_role" "legacy" {
  name                = "legacy"
  assume_role_policy  = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"
  managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"] # want FX-AWS-066
}

resource "aws_iam_role_policy_attachments_exclusive" "ops" {
  role_name   = "ops"
  policy_arns = [data.aws_iam_policy.admin.arn] # want FX-AWS-066
}
