resource "aws_iam_group" "ci" {
  name = "ci"
}

resource "aws_iam_group_policy_attachment" "ci" {
  group      = aws_iam_group.ci.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user_group_membership" "ci" {
  user   = "ci"
  groups = [aws_iam_group.ci.name]
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = "app"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_policy_attachment" "roles_only" {
  name       = "roles-only"
  users      = []
  roles      = ["app"]
  groups     = [aws_iam_group.ci.name]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
