locals {
  full   = "${local.prefix}-${local.middle}-${var.env}"
  middle = upper(local.base)
  prefix = "acme"
  base   = "app"
  tags   = { Name = local.full, Env = var.env }
}

variable "env" {
  default = "prod"
}

resource "aws_s3_bucket" "b" {
  bucket = local.full
  tags   = local.tags
}
