variable "policy" {
  type = string
}

resource "aws_iam_policy" "this" {
  name   = "worker"
  policy = var.policy
}
