resource "aws_s3_bucket" "artifacts" { # want FX-AWS-042
  bucket = "build-artifacts"
}

resource "aws_s3_bucket" "replicas" { # want FX-AWS-042
  count  = 3
  bucket = "replica-${count.index}"
}

# This block protects another bucket, not the two above.
resource "aws_s3_bucket" "state" {
  bucket = "tf-state"
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# An account-wide block with one setting off does not cover the buckets.
resource "aws_s3_account_public_access_block" "account" {
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = false
}
