variable "a" {}

variable "b" {
  default = null
}

variable "rules" {
  type = list(object({
    port = number
    sgs  = list(string)
    cidr = optional(string, "10.0.0.0/8")
  }))
  default = []
}

resource "aws_thing" "t" {
  only_a = var.a
  only_b = var.b
  both   = "${var.a} ${coalesce(var.b, "-")}"

  dynamic "ingress" {
    for_each = var.rules
    content {
      port = ingress.value.port
      sgs  = ingress.value.sgs
      cidr = ingress.value.cidr
    }
  }
}

output "a" {
  value = var.a
}
