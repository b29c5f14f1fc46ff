variable "trail_key" {
  default = ""
}

resource "aws_cloudtrail" "main" { # want FX-AWS-073
  name           = "main"
  s3_bucket_name = "audit-trail"
}

resource "aws_cloudtrail" "regional" {
  name           = "regional"
  s3_bucket_name = "audit-trail"
  kms_key_id     = var.trail_key # want FX-AWS-073
}
