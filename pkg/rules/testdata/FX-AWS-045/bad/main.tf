variable "strict" {
  default = false
}

resource "aws_s3_bucket_public_access_block" "off" {
  bucket                  = "artifacts"
  block_public_acls       = true
  block_public_policy     = true
  restrict_public_buckets = true
  ignore_public_acls      = false # want FX-AWS-045
}

# The setting is left out: it defaults to false.
resource "aws_s3_bucket_public_access_block" "unset" { # want FX-AWS-045
  bucket                  = "images"
  block_public_acls       = true
  block_public_policy     = true
  restrict_public_buckets = true
}

# From a variable default, with count.
resource "aws_s3_bucket_public_access_block" "counted" {
  count                   = 2
  bucket                  = "replica-${count.index}"
  block_public_acls       = true
  block_public_policy     = true
  restrict_public_buckets = true
  ignore_public_acls      = var.strict # want FX-AWS-045
}

resource "aws_s3_account_public_access_block" "account" {
  block_public_acls       = true
  block_public_policy     = true
  restrict_public_buckets = true
  ignore_public_acls      = false # want FX-AWS-045
}
