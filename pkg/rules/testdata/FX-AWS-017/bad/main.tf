resource "aws_ssm_parameter" "db_password" {
  name  = "/prod/db/password"
  type  = "String" # want FX-AWS-017
  value = "hunter2"
}

resource "random_password" "api" {
  length = 32
}

# The value is known only after apply, but the name says what it is.
resource "aws_ssm_parameter" "api_token" {
  name  = "/prod/app/API_TOKEN"
  type  = "StringList" # want FX-AWS-017
  value = random_password.api.result
}

resource "aws_ssm_parameter" "config" {
  name           = "/prod/app/config"
  type           = "String" # want FX-AWS-017
  insecure_value = "url=https://api.internal\ntoken=ab12cd34ef"
}

variable "region" {
  type = string
}

# The region is known only after apply; the token beside it is not.
resource "aws_ssm_parameter" "templated" {
  name  = "/prod/app/settings"
  type  = "String" # want FX-AWS-017
  value = "region=${var.region}\ntoken=ab12cd34ef"
}
