resource "aws_secretsmanager_secret" "db" { # want FX-AWS-096
  name = "prod/db"
}

resource "aws_secretsmanager_secret" "api" {
  name = "prod/api"
}

resource "aws_secretsmanager_secret_rotation" "api" {
  secret_id           = aws_secretsmanager_secret.api.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"

  rotation_rules {
    automatically_after_days = 30
  }
}

# Rotating another secret by name does not rotate this one.
resource "aws_secretsmanager_secret" "tenants" { # want FX-AWS-096
  count = 2
  name  = "prod/tenant-${count.index}"
}

resource "aws_secretsmanager_secret_rotation" "by_name" {
  secret_id           = "prod/other"
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"

  rotation_rules {
    automatically_after_days = 30
  }
}
