resource "aws_lb" "app" {
  name               = "app"
  load_balancer_type = "application"
  subnets            = ["subnet-1", "subnet-2"]
}

resource "aws_lb" "default_type" {
  name    = "default-type"
  subnets = ["subnet-1", "subnet-2"]
}

resource "aws_lb_target_group" "app" {
  name     = "app"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = "vpc-123"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.app.arn
  port              = 80
  protocol          = "HTTP" # want FX-AWS-007

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

# A redirect that keeps the protocol is still plain HTTP.
resource "aws_alb_listener" "redirect_to_http" {
  load_balancer_arn = aws_lb.app.arn
  port              = 8080
  protocol          = "http" # want FX-AWS-007

  default_action {
    type = "redirect"
    redirect {
      port        = "80"
      status_code = "HTTP_301"
    }
  }
}

# No protocol on an application load balancer means HTTP.
resource "aws_lb_listener" "implicit" { # want FX-AWS-007
  load_balancer_arn = aws_lb.default_type.arn
  port              = 80

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}
