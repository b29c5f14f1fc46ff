resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs"
}

resource "aws_vpc" "spokes" {
  count      = 2
  cidr_block = "10.${count.index + 1}.0.0/16"
}

resource "aws_flow_log" "spokes" {
  count           = 2
  vpc_id          = aws_vpc.spokes[count.index].id
  traffic_type    = "REJECT"
  log_destination = "arn:aws:s3:::flow-logs"
}

module "network" {
  source = "./modules/network"
}
