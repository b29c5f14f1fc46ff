variable "versioning_status" {
  default = "Disabled"
}

resource "aws_s3_bucket" "artifacts" { # want FX-AWS-048
  bucket = "build-artifacts"
}

resource "aws_s3_bucket" "state" {
  bucket = "tf-state"
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Suspended" # want FX-AWS-048
  }
}

# Provider v3 inline block turned off.
resource "aws_s3_bucket" "legacy" {
  bucket = "legacy"
  versioning {
    enabled = false # want FX-AWS-048
  }
}

resource "aws_s3_bucket" "replicas" {
  count  = 2
  bucket = "replica-${count.index}"
}

resource "aws_s3_bucket_versioning" "replicas" {
  count  = 2
  bucket = aws_s3_bucket.replicas[count.index].id
  versioning_configuration {
    status = var.versioning_status # want FX-AWS-048
  }
}
