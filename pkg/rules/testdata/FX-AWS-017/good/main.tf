variable "type" {
  type = string
}

resource "aws_ssm_parameter" "db_password" {
  name   = "/prod/db/password"
  type   = "SecureString"
  value  = "unused"
  key_id = "alias/params"
}

resource "aws_ssm_parameter" "db_host" {
  name  = "/prod/db/host"
  type  = "String"
  value = "db.internal"
}

resource "aws_ssm_parameter" "password_arn" {
  name  = "/prod/db/password_arn"
  type  = "String"
  value = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"
}

resource "aws_ssm_parameter" "unknown_type" {
  name  = "/prod/db/password"
  type  = var.type
  value = "unused"
}

variable "api_token" {
  type      = string
  sensitive = true
}

resource "aws_ssm_parameter" "templated" {
  name  = "/prod/app/settings"
  type  = "String"
  value = "region=eu-west-1\ntoken=${var.api_token}"
}
