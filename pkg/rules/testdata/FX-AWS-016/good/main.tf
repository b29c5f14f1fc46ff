variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "api.zip"

  environment {
    variables = {
      DB_HOST          = "db.internal"
      DB_SECRET_ARN    = aws_secretsmanager_secret.db.arn
      DB_PASSWORD_PATH = "/prod/db/password"
      TOKEN_TTL        = "3600"
      API_KEY          = ""
      DB_PASSWORD      = var.db_password
      SESSION_SECRET   = "{{resolve:secretsmanager:prod/session}}"
    }
  }
}
