resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_security_group" "alb" {
  name = "alb"
}

module "two" {
  source = "./mod"
  a      = aws_vpc.main.id
  b      = aws_s3_bucket.logs.bucket
}

locals {
  tiers = {
    web = {
      description = "Web"
      cidr        = aws_vpc.main.cidr_block
      rules = [
        { port = 8080, sgs = [aws_security_group.alb.id] },
        { port = 22, sgs = [] },
      ]
    }
    bastion = {
      description = "Bastion"
      cidr        = "10.0.0.0/8"
      rules       = [{ port = 22, sgs = [] }]
    }
  }
}

module "tier" {
  source   = "./mod"
  for_each = local.tiers
  a        = "${each.key}: ${each.value.description}"
  b        = each.value.cidr
  rules    = each.value.rules
}

module "counted" {
  source = "./mod"
  count  = 2
  a      = count.index == 0 ? aws_vpc.main.id : "none"
}

resource "aws_thing" "root" {
  web_cidr     = local.tiers.web.cidr
  bastion_cidr = local.tiers["bastion"].cidr
  all_tiers    = length(local.tiers)
  from_module  = module.tier["bastion"].a
  from_counted = module.counted[1].a
}
