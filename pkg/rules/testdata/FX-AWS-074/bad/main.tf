resource "aws_vpc" "main" { # want FX-AWS-074
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "spokes" { # want FX-AWS-074
  count      = 2
  cidr_block = "10.${count.index + 1}.0.0/16"
}

resource "aws_default_vpc" "default" { # want FX-AWS-074
}

# A flow log on one subnet does not cover the VPC.
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_flow_log" "subnet" {
  subnet_id       = aws_subnet.a.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::flow-logs"
}

# A flow log on another VPC.
resource "aws_vpc" "logged" {
  cidr_block = "10.9.0.0/16"
}

resource "aws_flow_log" "logged" {
  vpc_id          = aws_vpc.logged.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::flow-logs"
}
