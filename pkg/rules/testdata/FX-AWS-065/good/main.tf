resource "aws_iam_user" "ci" {
  name = "ci"
}

# A deactivated key on its way out.
resource "aws_iam_access_key" "old" {
  user   = aws_iam_user.ci.name
  status = "Inactive"
}
