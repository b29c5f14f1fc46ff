resource "aws_s3_bucket" "b" {
  bucket = "b"
}

resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.b.arn}/*"
    }]
  })
  yaml    = yamlencode({ a = "x" })
  wrapped = "${jsonencode({ k = "v" })}"
  nested  = upper(jsonencode({ k = "v" }))
  plain   = "x"
  broken  = jsonencode(nosuchfunction())
}
