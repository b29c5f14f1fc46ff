resource "aws_s3_bucket" "logs" {
  bucket = "access-logs"
}

resource "aws_s3_bucket" "artifacts" { # want FX-AWS-049
  bucket = "build-artifacts"
}

resource "aws_s3_bucket" "replicas" { # want FX-AWS-049
  count  = 2
  bucket = "replica-${count.index}"
}

resource "aws_s3_bucket" "images" {
  bucket = "release-images"
}

resource "aws_s3_bucket_logging" "images" {
  bucket        = aws_s3_bucket.images.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "images/"
}
