resource "aws_instance" "tags_only" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  lifecycle {
    ignore_changes        = [tags]
    create_before_destroy = true
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
    ignore_changes = [desired_capacity, target_group_arns]
  }
}

# Ignoring the AMI of something that is not a server is out of scope.
resource "aws_ami_copy" "copy" {
  name              = "copy"
  source_ami_id     = "ami-123"
  source_ami_region = "eu-west-1"

  lifecycle {
    ignore_changes = all
  }
}
