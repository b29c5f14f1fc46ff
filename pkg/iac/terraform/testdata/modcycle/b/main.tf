module "a" {
  source = "../a"
}

resource "aws_b" "r" {
  name = "b"
}
