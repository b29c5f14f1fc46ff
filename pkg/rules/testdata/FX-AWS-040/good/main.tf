variable "acl_from_pipeline" {
  type = string
}

variable "private_acl" {
  default = "private"
}

resource "aws_s3_bucket" "private" {
  bucket = "private-artifacts"
  acl    = "private"
}

resource "aws_s3_bucket" "logs" {
  bucket = "access-logs"
  acl    = "log-delivery-write"
}

resource "aws_s3_bucket_acl" "ami_bundles" {
  bucket = "ami-bundles"
  acl    = "aws-exec-read"
}

resource "aws_s3_bucket_acl" "from_var" {
  bucket = "from-var"
  acl    = var.private_acl
}

# Unknown until apply: no guess.
resource "aws_s3_bucket_acl" "unknown" {
  bucket = "unknown"
  acl    = var.acl_from_pipeline
}

resource "aws_s3_bucket_acl" "grants" {
  bucket = aws_s3_bucket.logs.id

  access_control_policy {
    # The S3 log delivery group is not the public.
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
      }
      permission = "WRITE"
    }

    grant {
      grantee {
        id   = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
        type = "CanonicalUser"
      }
      permission = "FULL_CONTROL"
    }

    owner {
      id = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    }
  }
}

resource "aws_s3_bucket" "old_style" {
  bucket = "old-style"

  grant {
    id          = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    type        = "CanonicalUser"
    permissions = ["FULL_CONTROL"]
  }
}
