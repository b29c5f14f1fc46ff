variable "sse" {
  default = false
}

resource "aws_dynamodb_table" "sessions" { # want FX-AWS-054
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_dynamodb_table" "locks" {
  name         = "locks"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "LockID"
  attribute {
    name = "LockID"
    type = "S"
  }
  server_side_encryption {
    enabled = var.sse # want FX-AWS-054
  }
}
