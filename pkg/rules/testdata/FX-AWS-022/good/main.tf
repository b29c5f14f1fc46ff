variable "encrypted" {
  type = bool
}

resource "aws_instance" "encrypted" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  root_block_device {
    encrypted = true
  }

  ebs_block_device {
    device_name = "/dev/sdf"
    encrypted   = true
  }

  # From a snapshot: its encryption applies.
  ebs_block_device {
    device_name = "/dev/sdg"
    snapshot_id = "snap-123"
  }
}

resource "aws_instance" "unknown" {
  ami           = "ami-123"
  instance_type = "t3.micro"

  root_block_device {
    encrypted = var.encrypted
  }
}

# Devices come from the launch template, checked on its own.
resource "aws_instance" "from_template" {
  launch_template {
    id = aws_launch_template.encrypted.id
  }
}

resource "aws_launch_template" "encrypted" {
  image_id = "ami-123"

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted = "true"
    }
  }

  # An instance store volume has no ebs block.
  block_device_mappings {
    device_name  = "/dev/sdb"
    virtual_name = "ephemeral0"
  }
}

resource "aws_launch_configuration" "encrypted" {
  image_id      = "ami-123"
  instance_type = "t3.micro"

  root_block_device {
    encrypted = true
  }
}
