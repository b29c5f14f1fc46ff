resource "aws_vpc" "this" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_flow_log" "this" {
  vpc_id          = aws_vpc.this.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::flow-logs"
}
