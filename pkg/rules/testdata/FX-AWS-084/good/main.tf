variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name  = "api"
    image = "app/api:1.0"
    environment = [
      { name = "DB_HOST", value = "db.internal" },
      { name = "DB_PASSWORD_PATH", value = "/prod/db/password" },
      { name = "TOKEN_TTL", value = "3600" },
      { name = "API_KEY", value = "" },
    ]
    secrets = [
      { name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf" },
    ]
  }])
}

# Known only after apply: nothing to read.
resource "aws_ecs_task_definition" "refs" {
  family = "refs"
  container_definitions = jsonencode([{
    name  = "refs"
    image = "app/refs:1.0"
    environment = [
      { name = "DB_SECRET_ARN", value = aws_secretsmanager_secret.db.arn },
      { name = "DB_PASSWORD", value = var.db_password },
    ]
  }])
}

resource "aws_ecs_task_definition" "placeholders" {
  family                = "placeholders"
  container_definitions = <<EOT
[{"name": "p", "image": "app/p:1.0", "environment": [
  {"name": "SESSION_SECRET", "value": "{{resolve:secretsmanager:prod/session}}"},
  {"name": "PASSWORD", "value": "changeme-placeholder"}
]}]
EOT
}
