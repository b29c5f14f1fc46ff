resource "aws_ecr_repository" "none" { # want FX-AWS-024
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecr_repository" "off" {
  name                 = "worker"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = false # want FX-AWS-024
  }
}

# A registry scanning rule that covers other repositories only.
resource "aws_ecr_registry_scanning_configuration" "partial" {
  scan_type = "BASIC"

  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "prod-*"
      filter_type = "WILDCARD"
    }
  }
}
