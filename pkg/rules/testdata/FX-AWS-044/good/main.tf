variable "from_pipeline" {
  type = bool
}

resource "aws_s3_bucket_public_access_block" "on" {
  bucket                  = "artifacts"
  block_public_acls       = true
  ignore_public_acls      = true
  restrict_public_buckets = true
  block_public_policy     = true
}

# "true" as a string is true to Terraform.
resource "aws_s3_bucket_public_access_block" "string" {
  bucket                  = "images"
  block_public_acls       = true
  ignore_public_acls      = true
  restrict_public_buckets = true
  block_public_policy     = "true"
}

# Unknown until apply: no guess.
resource "aws_s3_bucket_public_access_block" "unknown" {
  bucket                  = "replica"
  block_public_acls       = true
  ignore_public_acls      = true
  restrict_public_buckets = true
  block_public_policy     = var.from_pipeline
}

resource "aws_s3_account_public_access_block" "account" {
  block_public_acls       = true
  ignore_public_acls      = true
  restrict_public_buckets = true
  block_public_policy     = true
}
