resource "aws_ecr_repository" "default" { # want FX-AWS-023
  name = "app"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_repository" "mutable" {
  name                 = "worker"
  image_tag_mutability = "MUTABLE" # want FX-AWS-023
}

resource "aws_ecr_repository" "mutable_with_exclusion" {
  name                 = "jobs"
  image_tag_mutability = "MUTABLE_WITH_EXCLUSION" # want FX-AWS-023

  image_tag_mutability_exclusion_filter {
    filter      = "release-*"
    filter_type = "WILDCARD"
  }
}
