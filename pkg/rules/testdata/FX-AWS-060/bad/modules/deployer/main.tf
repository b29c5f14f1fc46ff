data "aws_iam_policy_document" "this" {
  statement { # want FX-AWS-060
    effect    = "Allow"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "this" {
  name   = "deployer"
  policy = data.aws_iam_policy_document.this.json
}
