variable "count_in" {
  type = number
}

variable "items" {
  type = map(string)
}

resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_instance" "counted" {
  count     = var.count_in
  ami       = "ami-${count.index}"
  subnet_id = aws_vpc.v.id
  fixed     = "x"
}

resource "aws_instance" "each" {
  for_each = var.items
  ami      = each.value
  name     = "i-${each.key}"
  cidr     = aws_vpc.v.cidr_block
}

resource "aws_instance" "dep" {
  ami    = aws_instance.counted[0].ami
  ids    = aws_instance.each[*].id
  concat = "${aws_vpc.v.id}-suffix"
  cond   = aws_vpc.v.enable_dns ? "a" : "b"
}
