variable "azs" {
  default = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "public" {
  for_each   = var.azs
  vpc_id     = aws_vpc.main.id
  cidr_block = each.value
}

resource "aws_subnet" "counted" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.${count.index + 10}.0/24"
}

# for_each over another resource: the same keys, and the attributes the
# configuration does not set are unknown, not errors.
resource "aws_route_table_association" "a" {
  for_each  = aws_subnet.public
  subnet_id = each.value.id
  cidr      = each.value.cidr_block
  key       = each.key
}

locals {
  subnets = aws_subnet.public
  first   = aws_subnet.counted[0]
  ids     = aws_subnet.counted[*].id
  cidrs   = aws_subnet.counted.*.cidr_block
}

resource "aws_thing" "paths" {
  direct     = aws_subnet.counted[0].id
  keyed      = aws_subnet.public["a"].id
  splat      = aws_subnet.counted[*].id
  values     = values(aws_subnet.public)[0].arn
  for_ids    = [for s in aws_subnet.public : s.id]
  for_cidrs  = [for s in aws_subnet.public : s.cidr_block]
  local_id   = local.subnets["b"].id
  local_cidr = local.subnets["b"].cidr_block
  first_arn  = local.first.arn
  index      = local.subnets["a"]["availability_zone"]
  module_out = module.m.vpc.owner_id
  module_arn = module.m.subnet_arn
  ids        = local.ids
  cidrs      = local.cidrs
}

module "m" {
  source = "./mod"
  subnet = aws_subnet.public["a"]
  vpc    = aws_vpc.main
}

resource "aws_instance" "dyn" {
  dynamic "network_interface" {
    for_each = aws_subnet.public
    content {
      subnet_id = network_interface.value.id
      cidr      = network_interface.value.cidr_block
    }
  }
}
