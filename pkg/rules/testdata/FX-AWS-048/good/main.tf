variable "status_from_pipeline" {
  type = string
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "build-artifacts"
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  versioning_configuration {
    status = "Enabled"
  }
}

# Linked by name.
resource "aws_s3_bucket" "images" {
  bucket = "release-images"
}

resource "aws_s3_bucket_versioning" "images" {
  bucket = "release-images"
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "legacy" {
  bucket = "legacy"
  versioning {
    enabled = true
  }
}

# Unknown until apply: no guess.
resource "aws_s3_bucket" "other" {
  bucket = "other"
}

resource "aws_s3_bucket_versioning" "other" {
  bucket = aws_s3_bucket.other.id
  versioning_configuration {
    status = var.status_from_pipeline
  }
}
