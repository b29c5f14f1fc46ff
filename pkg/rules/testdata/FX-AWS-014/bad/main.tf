variable "key" {
  type    = string
  default = "ops"
}

resource "aws_key_pair" "deployer" {
  key_name_prefix = "deployer-"
  public_key      = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleOnlyNotARealKeyxxxxxxxxxxxxxxxxxxxxxx ops"
}

resource "aws_instance" "literal" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  key_name      = "admin" # want FX-AWS-014
}

resource "aws_launch_template" "from_var" {
  image_id = "ami-123"
  key_name = var.key # want FX-AWS-014
}

# The name is known only after apply, but a key pair it is.
resource "aws_launch_configuration" "from_key_pair" {
  image_id      = "ami-123"
  instance_type = "t3.micro"
  key_name      = aws_key_pair.deployer.key_name # want FX-AWS-014
}
