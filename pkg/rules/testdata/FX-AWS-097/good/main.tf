variable "lt_version" {
  type = string
}

resource "aws_launch_template" "app" {
  name_prefix   = "app-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_autoscaling_group" "pinned" {
  name                = "pinned"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = ["subnet-0a1b2c3d"]

  launch_template {
    id      = aws_launch_template.app.id
    version = aws_launch_template.app.latest_version
  }

  instance_refresh {
    strategy = "Rolling"
  }
}

resource "aws_autoscaling_group" "numbered" {
  name                = "numbered"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = ["subnet-0a1b2c3d"]

  launch_template {
    id      = aws_launch_template.app.id
    version = "7"
  }
}

# "$Default" changes only through the template's own default_version.
resource "aws_autoscaling_group" "default" {
  name                = "default"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = ["subnet-0a1b2c3d"]

  launch_template {
    id      = aws_launch_template.app.id
    version = "$Default"
  }
}

resource "aws_autoscaling_group" "unset" {
  name                = "unset"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = ["subnet-0a1b2c3d"]

  launch_template {
    id = aws_launch_template.app.id
  }
}

resource "aws_autoscaling_group" "unknown" {
  name                = "unknown"
  min_size            = 2
  max_size            = 4
  vpc_zone_identifier = ["subnet-0a1b2c3d"]

  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.app.id
        version            = var.lt_version
      }
    }
  }
}
