resource "aws_instance" "puppet" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  user_data = ( # want FX-AWS-018
    <<-EOT
    #!/bin/bash
    yum install -y puppet-agent
    /opt/puppetlabs/bin/puppet agent --test
    EOT
  )
}

resource "aws_launch_template" "chef" {
  image_id  = "ami-123"
  user_data = base64encode("#!/bin/bash\ncurl -L https://omnitruck.chef.io/install.sh | bash\nchef-client -r 'role[web]'\n") # want FX-AWS-018
}

resource "aws_launch_configuration" "salt_and_ansible" {
  image_id      = "ami-123"
  instance_type = "t3.micro"
  user_data     = "#!/bin/sh\nsh bootstrap-salt.sh\nsystemctl enable --now salt-minion\nansible-pull -U https://git.internal/ops.git\n" # want FX-AWS-018
}

resource "aws_instance" "cloud_config" {
  ami              = "ami-123"
  instance_type    = "t3.micro"
  user_data_base64 = base64gzip("#cloud-config\nchef:\n  server_url: https://chef.internal\n") # want FX-AWS-018
}

variable "puppet_server" {
  type = string
}

resource "aws_instance" "templated" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  user_data = ( # want FX-AWS-018
    <<-EOT
    #!/bin/bash
    puppet agent --server ${var.puppet_server} --test
    EOT
  )
}
