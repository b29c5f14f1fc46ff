# The log bucket itself is exempt: logging it to itself would loop.
resource "aws_s3_bucket" "logs" {
  bucket = "access-logs"
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "build-artifacts"
}

resource "aws_s3_bucket_logging" "artifacts" {
  bucket        = aws_s3_bucket.artifacts.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "artifacts/"
}

resource "aws_s3_bucket" "images" {
  bucket = "release-images"
}

resource "aws_s3_bucket_logging" "images" {
  bucket        = "release-images"
  target_bucket = "access-logs"
  target_prefix = "images/"
}

# Provider v3 inline logging, to a bucket with the log-delivery ACL.
resource "aws_s3_bucket" "legacy_logs" {
  bucket = "legacy-logs"
  acl    = "log-delivery-write"
}

resource "aws_s3_bucket" "legacy" {
  bucket = "legacy"
  logging {
    target_bucket = aws_s3_bucket.legacy_logs.id
    target_prefix = "legacy/"
  }
}

# A bucket given the log-delivery ACL through aws_s3_bucket_acl.
resource "aws_s3_bucket" "elb_logs" {
  bucket = "elb-logs"
}

resource "aws_s3_bucket_acl" "elb_logs" {
  bucket = aws_s3_bucket.elb_logs.id
  acl    = "log-delivery-write"
}
