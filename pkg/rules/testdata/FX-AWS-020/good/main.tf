resource "aws_launch_template" "web" {
  name_prefix   = "web-"
  image_id      = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_autoscaling_group" "web" {
  name                  = "web"
  min_size              = 1
  max_size              = 1
  max_instance_lifetime = 604800

  launch_template {
    id      = aws_launch_template.web.id
    version = aws_launch_template.web.latest_version
  }
}

# count = 0: no instance at all.
resource "aws_instance" "disabled" {
  count         = 0
  ami           = "ami-123"
  instance_type = "t3.micro"
}
