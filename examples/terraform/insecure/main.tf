terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }

  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "web/production/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

data "aws_caller_identity" "current" {}

# Latest Ubuntu; the web servers are configured by Puppet after boot.
data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720109477"] # Canonical

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}

locals {
  name = "${var.project}-${var.environment}"

  tags = {
    Project     = var.project
    Environment = var.environment
    Team        = "platform"
  }

  artifacts_bucket = "acme-${local.name}-artifacts"
  assets_bucket    = "acme-${local.name}-assets"
  logs_bucket      = "acme-${local.name}-logs"
  trail_bucket     = "acme-${local.name}-cloudtrail"

  all_egress = [{
    description = "Everything out"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }]

  tier_security_groups = {
    web = {
      description = "Web servers"
      ingress = [
        {
          description     = "App port from the load balancer"
          from_port       = 8080
          to_port         = 8080
          security_groups = [aws_security_group.alb.id]
        },
        {
          description = "SSH for debugging (remove after launch)"
          from_port   = 22
          to_port     = 22
          cidr_blocks = var.ssh_allowed_cidrs
        },
      ]
    }
    bastion = {
      description = "Bastion host"
      ingress = [
        {
          description = "SSH"
          from_port   = 22
          to_port     = 22
          cidr_blocks = var.ssh_allowed_cidrs
        },
      ]
    }
  }

  web_user_data = <<-EOT
    #!/bin/bash
    set -euo pipefail

    # Fetch the release bundle. The instance role could not read the bucket,
    # so the deploy user's key is used instead.
    export AWS_ACCESS_KEY_ID=AKIAVQJXXVBOTHD2WTFL
    export AWS_SECRET_ACCESS_KEY=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
    export AWS_DEFAULT_REGION=${var.region}
    apt-get update
    apt-get install -y awscli
    aws s3 cp s3://${local.artifacts_bucket}/releases/web-${var.app_version}.tar.gz /tmp/web.tar.gz
    mkdir -p /opt/web && tar -xzf /tmp/web.tar.gz -C /opt/web

    # Puppet finishes the configuration (nginx, users, monitoring agents).
    wget -q https://apt.puppet.com/puppet8-release-jammy.deb -O /tmp/puppet.deb
    dpkg -i /tmp/puppet.deb
    apt-get update
    apt-get install -y puppet-agent
    /opt/puppetlabs/bin/puppet config set server ${var.puppet_server} --section main
    /opt/puppetlabs/bin/puppet agent --test --waitforcert 60 || true
    systemctl enable --now puppet
  EOT
}

# ---------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------

resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = local.name
  }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  count = length(var.availability_zones)

  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(var.vpc_cidr, 8, count.index)
  availability_zone       = var.availability_zones[count.index]
  map_public_ip_on_launch = true

  tags = {
    Name = "${local.name}-public-${var.availability_zones[count.index]}"
  }
}

resource "aws_subnet" "private" {
  count = length(var.availability_zones)

  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index + 10)
  availability_zone = var.availability_zones[count.index]

  tags = {
    Name = "${local.name}-private-${var.availability_zones[count.index]}"
  }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  count = length(var.availability_zones)

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# Flow logs were switched off to save on CloudWatch costs.
resource "aws_cloudwatch_log_group" "flow_logs" {
  count = var.enable_flow_logs ? 1 : 0

  name              = "/vpc/${local.name}/flow-logs"
  retention_in_days = 30
}

resource "aws_iam_role" "flow_logs" {
  count = var.enable_flow_logs ? 1 : 0

  name = "${local.name}-flow-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "vpc-flow-logs.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_flow_log" "main" {
  count = var.enable_flow_logs ? 1 : 0

  vpc_id          = aws_vpc.main.id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn    = aws_iam_role.flow_logs[0].arn
}

# Imported as it was when the VPC was created.
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol  = "-1"
    self      = true
    from_port = 0
    to_port   = 0
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Public load balancer"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTP"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "Everything out"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

module "tier_sg" {
  source   = "./modules/security_group"
  for_each = local.tier_security_groups

  name          = "${local.name}-${each.key}"
  description   = each.value.description
  vpc_id        = aws_vpc.main.id
  ingress_rules = each.value.ingress
  egress_rules  = local.all_egress
  tags          = local.tags
}

# Opened while chasing the health-check timeouts in March.
resource "aws_security_group_rule" "web_debug" {
  type              = "ingress"
  description       = "Temporary: debugging health checks"
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = module.tier_sg["web"].security_group_id
}

# The analytics vendor connects to the database directly.
resource "aws_security_group" "db" {
  name   = "${local.name}-db"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# ---------------------------------------------------------------------------
# Compute
# ---------------------------------------------------------------------------

# Turned off because the shared AMIs from the old account could not be launched.
resource "aws_ebs_encryption_by_default" "this" {
  enabled = false
}

resource "aws_launch_template" "web" {
  name_prefix   = "${local.name}-web-"
  image_id      = data.aws_ami.ubuntu.id
  instance_type = var.instance_type
  key_name      = var.key_name

  iam_instance_profile {
    name = aws_iam_instance_profile.web.name
  }

  network_interfaces {
    associate_public_ip_address = true
    security_groups             = [module.tier_sg["web"].security_group_id]
  }

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "optional"
  }

  block_device_mappings {
    device_name = "/dev/sda1"

    ebs {
      volume_size = 30
      volume_type = "gp3"
      encrypted   = false
    }
  }

  user_data = base64encode(local.web_user_data)

  tag_specifications {
    resource_type = "instance"
    tags = merge(local.tags, {
      Name = "${local.name}-web"
    })
  }

  # A new Ubuntu AMI every week would replace the template; Puppet keeps the
  # running servers up to date instead.
  lifecycle {
    ignore_changes = [image_id]
  }
}

resource "aws_autoscaling_group" "web" {
  name                = "${local.name}-web"
  min_size            = var.asg_min_size
  max_size            = var.asg_max_size
  desired_capacity    = var.asg_desired_capacity
  vpc_zone_identifier = aws_subnet.public[*].id
  target_group_arns   = [aws_lb_target_group.web.arn]
  health_check_type   = "EC2"

  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }

  tag {
    key                 = "Name"
    value               = "${local.name}-web"
    propagate_at_launch = true
  }
}

resource "aws_sns_topic" "asg_events" {
  name = "${local.name}-asg-events"
}

resource "aws_autoscaling_notification" "web" {
  group_names = [aws_autoscaling_group.web.name]
  topic_arn   = aws_sns_topic.asg_events.arn
  notifications = [
    "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
    "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
  ]
}

resource "aws_instance" "bastion" {
  ami                         = data.aws_ami.ubuntu.id
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public[0].id
  vpc_security_group_ids      = [module.tier_sg["bastion"].security_group_id]
  key_name                    = var.key_name
  associate_public_ip_address = true
  iam_instance_profile        = aws_iam_instance_profile.bastion.name

  root_block_device {
    volume_size = 20
    volume_type = "gp3"
  }

  tags = {
    Name = "${local.name}-bastion"
  }
}

# Scratch space for database dumps.
resource "aws_ebs_volume" "bastion_scratch" {
  availability_zone = var.availability_zones[0]
  size              = 200
  type              = "gp3"

  tags = {
    Name = "${local.name}-bastion-scratch"
  }
}

resource "aws_volume_attachment" "bastion_scratch" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.bastion_scratch.id
  instance_id = aws_instance.bastion.id
}

resource "aws_cloudwatch_log_group" "web" {
  name              = "/app/${local.name}/web"
  retention_in_days = 14
}

# ---------------------------------------------------------------------------
# Load balancer
# ---------------------------------------------------------------------------

resource "aws_lb" "web" {
  name               = "${local.name}-web"
  load_balancer_type = "application"
  internal           = false
  security_groups    = [aws_security_group.alb.id]
  subnets            = aws_subnet.public[*].id
}

resource "aws_lb_target_group" "web" {
  name     = "${local.name}-web"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id

  health_check {
    path    = "/healthz"
    matcher = "200"
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }
}

# ---------------------------------------------------------------------------
# Storage
# ---------------------------------------------------------------------------

resource "aws_s3_bucket" "artifacts" {
  bucket = local.artifacts_bucket
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_logging" "artifacts" {
  bucket        = aws_s3_bucket.artifacts.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "s3/artifacts/"
}

# Static assets served straight from S3 to the browser.
resource "aws_s3_bucket" "assets" {
  bucket = local.assets_bucket
}

resource "aws_s3_bucket_ownership_controls" "assets" {
  bucket = aws_s3_bucket.assets.id

  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_public_access_block" "assets" {
  bucket = aws_s3_bucket.assets.id

  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_acl" "assets" {
  bucket = aws_s3_bucket.assets.id
  acl    = "public-read"

  depends_on = [
    aws_s3_bucket_ownership_controls.assets,
    aws_s3_bucket_public_access_block.assets,
  ]
}

resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicRead"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::${local.assets_bucket}/*"
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.assets]
}

resource "aws_s3_bucket" "logs" {
  bucket = local.logs_bucket
}

resource "aws_s3_bucket" "trail" {
  bucket        = local.trail_bucket
  force_destroy = true
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.trail.arn
      },
      {
        Sid       = "CloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.trail.arn}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"
        Condition = {
          StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" }
        }
      },
    ]
  })
}

resource "aws_db_subnet_group" "main" {
  name       = "${local.name}-db"
  subnet_ids = aws_subnet.public[*].id
}

resource "aws_db_instance" "main" {
  identifier              = "${local.name}-db"
  engine                  = "postgres"
  engine_version          = "15.5"
  instance_class          = var.db_instance_class
  allocated_storage       = 50
  db_name                 = "web"
  username                = "webadmin"
  password                = var.db_password
  storage_encrypted       = false
  publicly_accessible     = true
  db_subnet_group_name    = aws_db_subnet_group.main.name
  vpc_security_group_ids  = [aws_security_group.db.id]
  backup_retention_period = 1
  skip_final_snapshot     = true
}

# The app reads its database password from here at start-up.
resource "aws_ssm_parameter" "db_password" {
  name  = "/${var.project}/${var.environment}/db_password"
  type  = "String"
  value = var.db_password
}

resource "aws_ecr_repository" "web" {
  name                 = "${var.project}/web"
  image_tag_mutability = "MUTABLE"

  image_scanning_configuration {
    scan_on_push = false
  }
}

# ---------------------------------------------------------------------------
# IAM
# ---------------------------------------------------------------------------

resource "aws_kms_key" "main" {
  description             = "${local.name} data"
  deletion_window_in_days = 7
}

resource "aws_iam_role" "web" {
  name = "${local.name}-web"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "web_ssm" {
  role       = aws_iam_role.web.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "web" {
  name = "${local.name}-web"
  role = aws_iam_role.web.name
}

resource "aws_iam_role" "bastion" {
  name = "${local.name}-bastion"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Operators run ad-hoc fixes from the bastion.
resource "aws_iam_role_policy_attachment" "bastion_admin" {
  role       = aws_iam_role.bastion.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_instance_profile" "bastion" {
  name = "${local.name}-bastion"
  role = aws_iam_role.bastion.name
}

# Assumed by the Jenkins server, which lives in another account.
resource "aws_iam_role" "deploy" {
  name = "${local.name}-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "deploy" {
  name = "deploy"
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Deploy"
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}

data "aws_iam_policy_document" "release" {
  statement {
    sid       = "ReleaseBundles"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]
  }

  statement {
    sid       = "RollInstances"
    actions   = ["autoscaling:StartInstanceRefresh", "ec2:CreateLaunchTemplateVersion", "iam:PassRole"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "release" {
  name   = "${local.name}-release"
  policy = data.aws_iam_policy_document.release.json
}

resource "aws_iam_role_policy_attachment" "deploy_release" {
  role       = aws_iam_role.deploy.name
  policy_arn = aws_iam_policy.release.arn
}

# Kept for the old Jenkins jobs that cannot assume roles.
resource "aws_iam_user" "jenkins" {
  name = "${local.name}-jenkins"
}

resource "aws_iam_user_policy_attachment" "jenkins_release" {
  user       = aws_iam_user.jenkins.name
  policy_arn = aws_iam_policy.release.arn
}

resource "aws_iam_access_key" "jenkins" {
  user = aws_iam_user.jenkins.name
}

# ---------------------------------------------------------------------------
# Audit
# ---------------------------------------------------------------------------

# Paused after the bill spiked; to be turned back on "later".
resource "aws_cloudtrail" "main" {
  name                          = "${local.name}-trail"
  s3_bucket_name                = aws_s3_bucket.trail.id
  enable_logging                = false
  include_global_service_events = true
  is_multi_region_trail         = false
  enable_log_file_validation    = false

  depends_on = [aws_s3_bucket_policy.trail]
}
