resource "aws_kms_key" "trail" {
  enable_key_rotation = true
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "audit-trail"
  enable_logging                = true
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.trail.arn
}

# Defaults that are already safe, and "true" as a string.
resource "aws_cloudtrail" "defaults" {
  name                       = "defaults"
  s3_bucket_name             = "audit-trail"
  is_multi_region_trail      = "true"
  enable_log_file_validation = "true"
  kms_key_id                 = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

variable "from_pipeline" {
  type = bool
}

variable "key_from_pipeline" {
  type = string
}

# Unknown until apply: no guess.
resource "aws_cloudtrail" "unknown" {
  name                       = "unknown"
  s3_bucket_name             = "audit-trail"
  enable_logging             = var.from_pipeline
  is_multi_region_trail      = var.from_pipeline
  enable_log_file_validation = var.from_pipeline
  kms_key_id                 = var.key_from_pipeline
}
