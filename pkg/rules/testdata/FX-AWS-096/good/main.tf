resource "aws_secretsmanager_secret" "db" {
  name = "prod/db"
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"

  rotation_rules {
    automatically_after_days = 30
  }
}

# Linked by the literal name.
resource "aws_secretsmanager_secret" "api" {
  name = "prod/api"
}

resource "aws_secretsmanager_secret_rotation" "api" {
  secret_id           = "prod/api"
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"

  rotation_rules {
    schedule_expression = "rate(10 days)"
  }
}

# Provider versions before 5 rotated on the secret itself.
resource "aws_secretsmanager_secret" "legacy" {
  name                = "prod/legacy"
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"

  rotation_rules {
    automatically_after_days = 30
  }
}

resource "aws_secretsmanager_secret" "per_tenant" {
  count = 2
  name  = "prod/tenant-${count.index}"
}

resource "aws_secretsmanager_secret_rotation" "per_tenant" {
  count               = 2
  secret_id           = aws_secretsmanager_secret.per_tenant[count.index].id
  rotation_lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:rotate"

  rotation_rules {
    automatically_after_days = 30
  }
}
