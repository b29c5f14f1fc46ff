variable "suffix" {
  default = "X"
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  tags          = { team = "web", "cost-center" = "42" }

  environment {
    variables = {
      DB_HOST       = "db.internal"
      "DB-PASSWORD" = "hunter2"
      CERT          = <<-EOT
        -----BEGIN CERTIFICATE-----
        MIIB
        -----END CERTIFICATE-----
      EOT
      (var.suffix)      = "computed"
      "KEY_${var.suffix}" = "computed too"
      "${"LITERAL"}"    = "template without references"
      10                = "number"
    }
  }
}

resource "aws_lambda_function" "empty" {
  function_name = "empty"
  tags          = { (var.suffix) = "only computed keys" }
  environment {
    variables = {}
  }
}

module "fn" {
  source = "./modules/fn"
}
