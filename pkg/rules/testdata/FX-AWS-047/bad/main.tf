resource "aws_s3_bucket" "artifacts" { # want FX-AWS-047
  bucket = "build-artifacts"
}

resource "aws_s3_bucket" "replicas" { # want FX-AWS-047
  count  = 2
  bucket = "replica-${count.index}"
}

# Encryption configured for another bucket only.
resource "aws_s3_bucket" "state" {
  bucket = "tf-state"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
