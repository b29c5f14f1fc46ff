variable "mutability" {
  type = string
}

resource "aws_ecr_repository" "immutable" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecr_repository" "mostly_immutable" {
  name                 = "jobs"
  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"

  image_tag_mutability_exclusion_filter {
    filter      = "latest"
    filter_type = "WILDCARD"
  }
}

resource "aws_ecr_repository" "unknown" {
  name                 = "unknown"
  image_tag_mutability = var.mutability
}
