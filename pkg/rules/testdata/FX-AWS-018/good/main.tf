resource "aws_instance" "baked" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  user_data     = "#!/bin/sh\n# Configuration was applied by puppet at bake time; nothing runs here.\nexec /opt/app/start\n"
}

resource "aws_launch_template" "baked" {
  image_id  = "ami-123"
  user_data = base64encode("#cloud-config\nruncmd:\n  - [systemctl, start, app]\n")
}

variable "region" {
  type = string
}

resource "aws_instance" "templated" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  user_data     = "#!/bin/sh\n# puppet agent ran at bake time\nexport AWS_DEFAULT_REGION=${var.region}\nexec /opt/app/start\n"
}
