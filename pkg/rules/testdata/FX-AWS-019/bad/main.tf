resource "aws_autoscaling_group" "forever" { # want FX-AWS-019
  name     = "forever"
  min_size = 1
  max_size = 3

  launch_template {
    id      = "lt-123"
    version = "$Latest"
  }
}

resource "aws_autoscaling_group" "zero" {
  name                  = "zero"
  min_size              = 1
  max_size              = 3
  max_instance_lifetime = 0 # want FX-AWS-019

  launch_template {
    id      = "lt-123"
    version = "$Latest"
  }
}
