# One security group per tier. Rules are inline, built from the inputs with
# dynamic blocks, so a caller sees every rule of a tier in one place.

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-"
  description = var.description
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = var.ingress_rules
    content {
      description     = ingress.value.description
      from_port       = ingress.value.from_port
      to_port         = ingress.value.to_port
      protocol        = ingress.value.protocol
      cidr_blocks     = ingress.value.cidr_blocks
      security_groups = ingress.value.security_groups
      prefix_list_ids = ingress.value.prefix_list_ids
    }
  }

  dynamic "egress" {
    for_each = var.egress_rules
    content {
      description     = egress.value.description
      from_port       = egress.value.from_port
      to_port         = egress.value.to_port
      protocol        = egress.value.protocol
      cidr_blocks     = egress.value.cidr_blocks
      security_groups = egress.value.security_groups
      prefix_list_ids = egress.value.prefix_list_ids
    }
  }

  tags = merge(var.tags, { Name = var.name })

  # Groups are referenced by launch templates and load balancers: replace
  # them before the old one is destroyed.
  lifecycle {
    create_before_destroy = true
  }
}
