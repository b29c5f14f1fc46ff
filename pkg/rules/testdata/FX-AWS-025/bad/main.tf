resource "aws_instance" "pinned" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  lifecycle {
    ignore_changes = [ami, user_data, tags] # want FX-AWS-025
  }
}

resource "aws_launch_template" "all" {
  image_id = "ami-123"

  lifecycle {
    ignore_changes = all # want FX-AWS-025
  }
}

resource "aws_autoscaling_group" "web" {
  name                  = "web"
  min_size              = 1
  max_size              = 3
  max_instance_lifetime = 604800

  launch_template {
    id      = "lt-123"
    version = "$Latest"
  }

  lifecycle {
    ignore_changes = [desired_capacity, launch_template[0].version] # want FX-AWS-025
  }
}

resource "aws_launch_template" "legacy_quoted" {
  image_id = "ami-123"

  lifecycle {
    ignore_changes = ["image_id"] # want FX-AWS-025
  }
}
