variable "site_acl" {
  default = "public-read"
}

locals {
  shared_acl = "authenticated-read"
}

resource "aws_s3_bucket" "legacy" {
  bucket = "legacy-site"
  acl    = "public-read-write" # want FX-AWS-040
}

resource "aws_s3_bucket" "site" {
  count  = 2
  bucket = "site-${count.index}"
}

resource "aws_s3_bucket_acl" "site" {
  count  = 2
  bucket = aws_s3_bucket.site[count.index].id
  acl    = var.site_acl # want FX-AWS-040
}

resource "aws_s3_bucket_acl" "shared" {
  bucket = "shared-reports"
  acl    = local.shared_acl # want FX-AWS-040
}

resource "aws_s3_bucket_acl" "grants" {
  bucket = aws_s3_bucket.legacy.id

  access_control_policy {
    grant { # want FX-AWS-040
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "READ"
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

# Provider v3 style inline grants.
resource "aws_s3_bucket" "old_style" {
  bucket = "old-style"

  grant { # want FX-AWS-040
    type        = "Group"
    uri         = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
    permissions = ["READ_ACP", "WRITE"]
  }
}
