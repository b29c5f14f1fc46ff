locals {
  bootstrap = <<-EOT
    #!/bin/bash
    export API_TOKEN="tok-8f3a9c2e"
    /opt/app/start
  EOT
}

resource "aws_instance" "keys" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  # A heredoc cannot carry a comment on its first line; the parentheses
  # make room for the marker.
  user_data = ( # want FX-AWS-015
    <<-EOT
    #!/bin/bash
    export AWS_ACCESS_KEY_ID=AKIAZ7QXRB4MNT2PLWUD
    echo "DB_PASSWORD=hunter2" >> /etc/app.env
    EOT
  )
}

resource "aws_instance" "base64" {
  ami              = "ami-123"
  instance_type    = "t3.micro"
  user_data_base64 = base64encode("#!/bin/sh\ncat > /root/.ssh/id_rsa <<KEY\n-----BEGIN RSA PRIVATE KEY-----\nKEY\n") # want FX-AWS-015
}

# Launch templates carry base64; the rule decodes it.
resource "aws_launch_template" "encoded" {
  image_id  = "ami-123"
  user_data = base64encode(local.bootstrap) # want FX-AWS-015
}

resource "aws_launch_template" "gzipped" {
  image_id  = "ami-123"
  user_data = base64gzip(local.bootstrap) # want FX-AWS-015
}

resource "aws_launch_template" "from_file" {
  image_id  = "ami-123"
  user_data = filebase64("${path.module}/init.sh") # want FX-AWS-015
}

resource "aws_launch_configuration" "cloud_config" {
  image_id      = "ami-123"
  instance_type = "t3.micro"
  user_data = ( # want FX-AWS-015
    <<-EOT
    #cloud-config
    users:
      - name: app
        plain_text_passwd: Sup3rS3cret
    EOT
  )
}

variable "region" {
  type = string
}

# The region is known only at apply, which makes the whole text unknown; the
# key beside it is literal text all the same.
resource "aws_instance" "templated" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  user_data = ( # want FX-AWS-015
    <<-EOT
    #!/bin/bash
    export AWS_DEFAULT_REGION=${var.region}
    export AWS_ACCESS_KEY_ID=AKIAZ7QXRB4MNT2PLWUD
    EOT
  )
}

resource "aws_launch_template" "templated" {
  image_id  = "ami-123"
  user_data = base64encode("#!/bin/sh\nregion=${var.region}\nDB_PASSWORD=hunter2\n") # want FX-AWS-015
}
