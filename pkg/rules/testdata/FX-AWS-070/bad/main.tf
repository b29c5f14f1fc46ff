variable "logging" {
  default = false
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "audit-trail"
  enable_logging = false # want FX-AWS-070
}

resource "aws_cloudtrail" "regional" {
  count          = 2
  name           = "regional-${count.index}"
  s3_bucket_name = "audit-trail"
  enable_logging = var.logging # want FX-AWS-070
}
