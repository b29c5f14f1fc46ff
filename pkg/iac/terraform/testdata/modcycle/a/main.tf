module "b" {
  source = "../b"
}

resource "aws_a" "r" {
  name = "a"
}
