variable "buckets" {
  default = {
    logs = { versioning = true }
    data = { versioning = false }
  }
}

resource "aws_s3_bucket" "b" {
  for_each = var.buckets
  bucket   = "acme-${each.key}"
  enabled  = each.value.versioning
}

resource "aws_iam_user" "u" {
  for_each = toset(["bob", "alice"])
  name     = each.value
  key      = each.key
}

resource "aws_s3_bucket_versioning" "v" {
  for_each = aws_s3_bucket.b
  bucket   = each.value.bucket
  id_ref   = aws_s3_bucket.b[each.key].id
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.b["logs"].bucket
}
