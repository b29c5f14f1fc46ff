resource "aws_cloudtrail" "main" { # want FX-AWS-072
  name           = "main"
  s3_bucket_name = "audit-trail"
}

resource "aws_cloudtrail" "regional" {
  count                      = 2
  name                       = "regional-${count.index}"
  s3_bucket_name             = "audit-trail"
  enable_log_file_validation = false # want FX-AWS-072
}
