variable "lifetime" {
  type = number
}

resource "aws_autoscaling_group" "weekly" {
  name                  = "weekly"
  min_size              = 1
  max_size              = 3
  max_instance_lifetime = 604800

  launch_template {
    id      = "lt-123"
    version = "$Latest"
  }
}

resource "aws_autoscaling_group" "unknown" {
  name                  = "unknown"
  min_size              = 1
  max_size              = 3
  max_instance_lifetime = var.lifetime

  launch_template {
    id      = "lt-123"
    version = "$Latest"
  }
}
