resource "aws_instance" "no_root" { # want FX-AWS-022
  ami           = "ami-123"
  instance_type = "t3.micro"
}

resource "aws_instance" "devices" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  root_block_device { # want FX-AWS-022
    volume_size = 20
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 100
    encrypted   = false # want FX-AWS-022
  }
}

resource "aws_launch_configuration" "lc" {
  image_id      = "ami-123"
  instance_type = "t3.micro"

  root_block_device {
    encrypted = false # want FX-AWS-022
  }
}

resource "aws_launch_template" "no_mappings" { # want FX-AWS-022
  image_id = "ami-123"
}

resource "aws_launch_template" "mappings" {
  image_id = "ami-123"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs { # want FX-AWS-022
      volume_size = 20
    }
  }

  block_device_mappings {
    device_name = "/dev/xvdf"
    ebs {
      volume_size = 100
      encrypted   = "false" # want FX-AWS-022
    }
  }
}
