variable "n" {
  default = 3
}

resource "aws_subnet" "s" {
  count      = var.n
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}

resource "aws_subnet" "none" {
  count      = 0
  cidr_block = "10.1.0.0/24"
}

resource "aws_route_table_association" "a" {
  count     = length(aws_subnet.s)
  subnet_id = aws_subnet.s[count.index].id
  cidr      = aws_subnet.s[count.index].cidr_block
}

resource "aws_eip" "maybe" {
  count = var.n > 2 ? 1 : 0
  vpc   = true
}
