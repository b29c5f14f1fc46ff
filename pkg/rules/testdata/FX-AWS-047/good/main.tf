locals {
  images_bucket = "release-images"
}

resource "aws_kms_key" "s3" {
  enable_key_rotation = true
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "build-artifacts"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.s3.arn
    }
    bucket_key_enabled = true
  }
}

# Linked by name through a local.
resource "aws_s3_bucket" "images" {
  bucket = local.images_bucket
}

resource "aws_s3_bucket_server_side_encryption_configuration" "images" {
  bucket = "release-images"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Provider v3 inline configuration.
resource "aws_s3_bucket" "legacy" {
  bucket = "legacy"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}

resource "aws_s3_bucket" "replicas" {
  count  = 2
  bucket = "replica-${count.index}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "replicas" {
  count  = 2
  bucket = aws_s3_bucket.replicas[count.index].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
