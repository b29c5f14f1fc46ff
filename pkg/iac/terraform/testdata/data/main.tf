data "aws_iam_policy_document" "x" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.b.arn}/*"]
  }
}

data "aws_availability_zones" "azs" {
  count = 2
  state = "available"
}

resource "aws_s3_bucket" "b" {
  bucket = "logs"
}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  name   = aws_s3_bucket.b.bucket
  policy = data.aws_iam_policy_document.x.json
  state  = data.aws_availability_zones.azs[1].state
  stmt   = data.aws_iam_policy_document.x.statement[0].actions
}
