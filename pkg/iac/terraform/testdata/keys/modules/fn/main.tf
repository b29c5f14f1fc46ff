resource "aws_lambda_function" "inner" {
  function_name = "inner"
  environment {
    variables = merge({ A = "a" }, {
      B = "b"
    })
  }
  tags = {
    Name = "inner"
  }
}
