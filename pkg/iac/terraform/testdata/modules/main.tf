module "net" {
  source = "./modules/net"
  cidr   = "10.0.0.0/16"
}

module "sg" {
  source = "./modules/sg"
  count  = 2
  name   = "sg-${count.index}"
  vpc_id = module.net.vpc_id
}

module "fe" {
  source   = "./modules/sg"
  for_each = { a = "alpha", b = "beta" }
  name     = each.value
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

module "bucket" {
  source = "terraform-aws-modules/s3-bucket/aws"
  name   = "downloaded"
}

resource "aws_instance" "app" {
  subnet_id  = module.net.subnet_ids[0]
  net_cidr   = module.net.cidr
  sg_name    = module.sg[1].sg_name
  fe_name    = module.fe["b"].sg_name
  vpc_id     = module.vpc.vpc_id
  bucket     = module.bucket.name
}
