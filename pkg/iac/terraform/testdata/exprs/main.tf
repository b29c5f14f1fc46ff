variable "public" {
  default = false
}

variable "names" {
  default = ["a", "b", "c"]
}

locals {
  policy = <<-EOT
    {
      "Version": "2012-10-17"
    }
  EOT
}

resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-123"
  instance_type = var.public ? "t3.large" : "t3.micro"
  user_data     = "name=%{for n in var.names}${n};%{endfor}"
  tags = {
    Name = "web-${count.index + 1}"
  }
}

resource "aws_lb" "lb" {
  name        = "lb"
  instances   = aws_instance.web[*].ami
  first       = aws_instance.web[0].instance_type
  upper_names = [for n in var.names : upper(n) if n != "b"]
  by_name     = { for n in var.names : n => length(n) }
  ids         = aws_instance.web[*].id
  policy      = local.policy
  tag_names   = [for i in aws_instance.web : i.tags.Name]
}
