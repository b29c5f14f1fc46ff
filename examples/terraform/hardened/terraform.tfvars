account_id         = "123456789012"
region             = "eu-west-1"
project            = "shop"
environment        = "production"
vpc_cidr           = "10.20.0.0/16"
availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]

# Written by the image pipeline after the AMI passed its checks.
ami_id = "ami-0c9f3d2a7b41e8f56"

instance_type         = "t3.large"
asg_min_size          = 3
asg_max_size          = 9
asg_desired_capacity  = 3
max_instance_lifetime = 604800 # 7 days

certificate_arn    = "arn:aws:acm:eu-west-1:123456789012:certificate/5f0c1d8e-3b7a-4c2e-9a61-0d4e2b7f8c90"
db_instance_class  = "db.m6g.large"
log_archive_bucket = "acme-org-log-archive-eu-west-1"
github_repository  = "acme/shop-web"
