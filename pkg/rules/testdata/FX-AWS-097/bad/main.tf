variable "lt_version" {
  type    = string
  default = "$Latest"
}

resource "aws_launch_template" "app" {
  name_prefix   = "app-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_autoscaling_group" "app" {
  name                  = "app"
  min_size              = 2
  max_size              = 4
  vpc_zone_identifier   = ["subnet-0a1b2c3d"]
  max_instance_lifetime = 604800

  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest" # want FX-AWS-097
  }
}

resource "aws_autoscaling_group" "workers" {
  count               = 2
  name                = "workers-${count.index}"
  min_size            = 1
  max_size            = 10
  vpc_zone_identifier = ["subnet-0a1b2c3d"]

  launch_template {
    id      = aws_launch_template.app.id
    version = var.lt_version # want FX-AWS-097
  }
}

resource "aws_autoscaling_group" "mixed" {
  name                = "mixed"
  min_size            = 1
  max_size            = 10
  vpc_zone_identifier = ["subnet-0a1b2c3d"]

  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.app.id
        version            = "$Latest" # want FX-AWS-097
      }

      override {
        instance_type = "m6g.large"

        launch_template_specification {
          launch_template_id = aws_launch_template.app.id
          version            = "$Latest" # want FX-AWS-097
        }
      }
    }
  }
}
