variable "drop" {
  type = bool
}

resource "aws_lb" "app" {
  name                       = "app"
  subnets                    = ["subnet-1", "subnet-2"]
  drop_invalid_header_fields = true
}

resource "aws_lb" "unknown" {
  name                       = "unknown"
  subnets                    = ["subnet-1", "subnet-2"]
  drop_invalid_header_fields = var.drop
}

# Network load balancers do not parse HTTP.
resource "aws_lb" "net" {
  name               = "net"
  load_balancer_type = "network"
  subnets            = ["subnet-1", "subnet-2"]
}
