variable "stripe_key" {
  type    = string
  default = "whsec-1f2e3d4c5b6a"
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "api.zip"

  environment {
    variables = { # want FX-AWS-016
      DB_HOST        = "db.internal"
      DB_PASSWORD    = "hunter2"
      WEBHOOK_SECRET = var.stripe_key
    }
  }
}

resource "aws_lambda_function" "url" {
  function_name = "url"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "url.zip"

  environment {
    variables = { # want FX-AWS-016
      DATABASE_URL = "postgres://app:Tr0ub4dor@db.internal:5432/app"
      DEPLOY_KEY   = "AKIAZ7QXRB4MNT2PLWUD"
    }
  }
}

# One secret among other variables: the finding points at its line.
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/lambda"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "worker.zip"

  environment {
    variables = {
      QUEUE         = "jobs"
      "DB_PASSWORD" = "hunter2" # want FX-AWS-016
      LOG_LEVEL     = "info"
    }
  }
}
