variable "name" {
  default = "standalone"
}

resource "aws_sqs_queue" "q" {
  name = var.name
}
