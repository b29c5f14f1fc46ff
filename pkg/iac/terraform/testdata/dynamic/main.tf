variable "rules" {
  default = [
    { port = 22, cidrs = ["10.0.0.0/8"] },
    { port = 443, cidrs = ["0.0.0.0/0", "::/0"] },
  ]
}

resource "aws_security_group" "sg" {
  name = "sg"

  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      cidr_blocks = ingress.value.cidrs
      description = "rule ${ingress.key}"
    }
  }

  egress {
    from_port = 0
  }
}

resource "aws_lb_listener" "l" {
  dynamic "default_action" {
    for_each = ["forward"]
    iterator = act
    content {
      type = act.value
      dynamic "forward" {
        for_each = { blue = 1, green = 2 }
        content {
          target = "${act.value}-${forward.key}"
          weight = forward.value
        }
      }
    }
  }
}

resource "aws_security_group" "unknown" {
  name = "u"
  dynamic "ingress" {
    for_each = var.unset
    content {
      from_port = ingress.value.port
      protocol  = "tcp"
    }
  }
}

variable "unset" {
  type = list(object({ port = number }))
}
