variable "bucket_name" {
  default = "release-images"
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "build-artifacts"
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Linked by the literal bucket name.
resource "aws_s3_bucket" "images" {
  bucket = var.bucket_name
}

resource "aws_s3_bucket_public_access_block" "images" {
  bucket                  = "release-images"
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# count on both sides.
resource "aws_s3_bucket" "replicas" {
  count  = 2
  bucket = "replica-${count.index}"
}

resource "aws_s3_bucket_public_access_block" "replicas" {
  count                   = 2
  bucket                  = aws_s3_bucket.replicas[count.index].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# A bucket and its block inside a module.
module "store" {
  source = "./modules/store"
}
