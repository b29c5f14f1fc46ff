resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_access_key" "ci" { # want FX-AWS-065
  user = aws_iam_user.ci.name
}

resource "aws_iam_access_key" "bots" { # want FX-AWS-065
  count  = 2
  user   = "bot-${count.index}"
  status = "Active"
}
