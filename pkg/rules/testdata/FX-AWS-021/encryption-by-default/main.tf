# With EBS encryption by default every new volume is encrypted, whatever
# the devices ask for.
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_instance" "no_root" {
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_launch_template" "plain" {
  image_id = "ami-123"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted = "false"
    }
  }
}

resource "aws_ebs_volume" "plain" {
  availability_zone = "eu-west-1a"
  size              = 40
}
