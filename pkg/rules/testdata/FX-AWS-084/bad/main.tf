variable "api_token" {
  type    = string
  default = "tok-8f3a9c2e71d4"
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([ # want FX-AWS-084
    {
      name  = "api"
      image = "app/api:1.0"
      environment = [
        { name = "DB_HOST", value = "db.internal" },
        { name = "DB_PASSWORD", value = "hunter2" },
        { name = "UPSTREAM_API_TOKEN", value = var.api_token },
      ]
    },
  ])
}

resource "aws_ecs_task_definition" "jobs" {
  count  = 2
  family = "jobs-${count.index}"
  container_definitions = jsonencode([{ # want FX-AWS-084
    name  = "job"
    image = "app/job:1.0"
    environment = [
      { name = "DATABASE_URL", value = "postgres://app:Tr0ub4dor@db.internal:5432/app" },
    ]
  }])
}

resource "aws_ecs_task_definition" "legacy" {
  family = "legacy"
  # want-below FX-AWS-084
  container_definitions = <<EOT
[
  {
    "name": "legacy",
    "image": "legacy/app:2.1",
    "environment": [
      {"name": "UPLOAD_KEY_ID", "value": "AKIAZ7QXRB4MNT2PLWUD"}
    ]
  }
]
EOT
}

resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}

# One value is known only after apply; the literal next to it is not.
resource "aws_ecs_task_definition" "mixed" {
  family = "mixed"
  container_definitions = jsonencode([{ # want FX-AWS-084
    name  = "mixed"
    image = "app/mixed:1.0"
    environment = [
      { name = "DB_SECRET_ARN", value = aws_secretsmanager_secret.db.arn },
      { name = "SESSION_SECRET", value = "s3ss10n-k3y-9f8e7d" },
    ]
  }])
}
