locals {
  multi = false
}

resource "aws_cloudtrail" "main" { # want FX-AWS-071
  name           = "main"
  s3_bucket_name = "audit-trail"
}

resource "aws_cloudtrail" "regional" {
  name                  = "regional"
  s3_bucket_name        = "audit-trail"
  is_multi_region_trail = local.multi # want FX-AWS-071
}
