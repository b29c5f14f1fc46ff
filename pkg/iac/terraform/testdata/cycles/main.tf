locals {
  a = local.b
  b = local.a
  c = "fine"
}

resource "aws_a" "x" {
  v = aws_b.y.v
  ok = local.c
}

resource "aws_b" "y" {
  v = aws_a.x.v
}

resource "aws_self" "s" {
  name = aws_self.s.id
}

resource "aws_loc" "l" {
  name = local.a
}
