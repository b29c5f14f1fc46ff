region             = "eu-west-1"
project            = "shop"
environment        = "production"
vpc_cidr           = "10.20.0.0/16"
availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
enable_flow_logs   = false

# TODO: restrict to the office VPN once it is set up.
ssh_allowed_cidrs = ["0.0.0.0/0"]

instance_type        = "t3.large"
key_name             = "shop-production-ops"
app_version          = "2024.06.3"
puppet_server        = "puppet.ops.acme.internal"
asg_min_size         = 2
asg_max_size         = 8
asg_desired_capacity = 3

certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/5f0c1d8e-3b7a-4c2e-9a61-0d4e2b7f8c90"
db_instance_class = "db.m6g.large"
db_password       = "Shop-Prod-2024!"
