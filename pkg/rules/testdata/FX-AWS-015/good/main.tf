variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_instance" "fetches" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  user_data     = <<-EOT
    #!/bin/bash
    # The password= below is read from SSM at boot, never written here.
    password=$(aws ssm get-parameter --name /prod/db/password --with-decryption --query Parameter.Value --output text)
    export DB_PASSWORD="$password"
    export API_TOKEN="$${API_TOKEN}"
    export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE # the documentation's example key
    export DB_PASSWORD_ARN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db
    export TOKEN_TTL=3600
  EOT
}

# A secret passed in a variable known only at apply is not a literal.
resource "aws_instance" "unknown" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  user_data     = "DB_PASSWORD=${var.db_password}"
}

resource "aws_launch_template" "templated" {
  image_id  = "ami-123"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    export DB_PASSWORD=${var.db_password}
    export API_TOKEN="${var.db_password}"
    echo "password: ${var.db_password}" > /etc/app.yaml
  EOT
  )
}

resource "aws_launch_template" "encoded" {
  image_id  = "ami-123"
  user_data = base64encode("#!/bin/sh\nexec /opt/app/start --config /etc/app.yaml\n")
}

resource "aws_launch_configuration" "plain" {
  image_id      = "ami-123"
  instance_type = "t3.micro"
  user_data     = "#!/bin/sh\necho 'Set the password: in Secrets Manager'\n"
}
