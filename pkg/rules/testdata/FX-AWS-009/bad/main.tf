resource "aws_lb" "implicit" { # want FX-AWS-009
  name    = "implicit"
  subnets = ["subnet-1", "subnet-2"]
}

resource "aws_alb" "explicit" {
  name                       = "explicit"
  load_balancer_type         = "application"
  subnets                    = ["subnet-1", "subnet-2"]
  drop_invalid_header_fields = false # want FX-AWS-009
}
