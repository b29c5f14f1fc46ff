package corpusgen

// sharedModule is a module under modules/ that services call with a local
// source. Every one of them must be called at least once: an uncalled
// directory would be scanned as a root of its own.
type sharedModule struct {
	name  string
	files []moduleFile
	// minimalInputs are the required inputs, for a switched-off call.
	minimalInputs string
}

type moduleFile struct {
	name string
	text string
}

var sharedModules = []sharedModule{
	{
		name: "security_group",
		files: []moduleFile{
			{"main.tf", `
resource "aws_security_group" "this" {
  name_prefix = "${var.name}-"
  description = var.description
  vpc_id      = var.vpc_id

  dynamic "ingress" {
    for_each = var.ingress_ports
    content {
      description = "${var.name} port ${ingress.value}"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.ingress_cidrs
    }
  }

  dynamic "egress" {
    for_each = length(var.egress_cidrs) > 0 ? [443] : []
    content {
      description = "HTTPS out"
      from_port   = egress.value
      to_port     = egress.value
      protocol    = "tcp"
      cidr_blocks = var.egress_cidrs
    }
  }

  tags = merge(var.tags, { Name = var.name })

  lifecycle {
    create_before_destroy = true
  }
}
`},
			{"variables.tf", `
variable "name" {
  description = "Name prefix and Name tag of the group."
  type        = string
}

variable "description" {
  description = "What the group is for."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the group."
  type        = string
}

variable "ingress_ports" {
  description = "TCP ports open to ingress_cidrs."
  type        = list(number)
  default     = []
}

variable "ingress_cidrs" {
  description = "Networks allowed in."
  type        = list(string)
  default     = []
}

variable "egress_cidrs" {
  description = "Networks reachable on 443; empty for no egress."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "tags" {
  description = "Tags of the group."
  type        = map(string)
  default     = {}
}
`},
			{"outputs.tf", `
output "id" {
  description = "ID of the security group."
  value       = aws_security_group.this.id
}
`},
		},
		minimalInputs: `  name        = "${local.name}-legacy"
  description = "Legacy group"
  vpc_id      = var.vpc_id
`,
	},
	{
		name: "s3_bucket",
		files: []moduleFile{
			{"main.tf", `
resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = var.block_public_access
  block_public_policy     = var.block_public_access
  ignore_public_acls      = var.block_public_access
  restrict_public_buckets = var.block_public_access
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_logging" "this" {
  count = var.access_log_bucket == null ? 0 : 1

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket
  target_prefix = "${var.name}/"
}
`},
			{"variables.tf", `
variable "name" {
  description = "Bucket name."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for SSE-KMS; null for SSE-S3."
  type        = string
  default     = null
}

variable "versioning" {
  description = "Keep every version of every object."
  type        = bool
  default     = true
}

variable "block_public_access" {
  description = "Turn on all four public access block settings."
  type        = bool
  default     = true
}

variable "access_log_bucket" {
  description = "Bucket for access logs; null for none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of the bucket."
  type        = map(string)
  default     = {}
}
`},
			{"outputs.tf", `
output "id" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.id
}

output "arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}
`},
		},
		minimalInputs: `  name = "acme-${local.name}-legacy"
`,
	},
	{
		name: "web_asg",
		files: []moduleFile{
			{"main.tf", `
resource "aws_launch_template" "this" {
  name_prefix   = "${var.name}-"
  image_id      = var.ami_id
  instance_type = var.instance_type
  key_name      = var.key_name
  user_data     = base64encode(var.user_data)

  network_interfaces {
    associate_public_ip_address = false
    security_groups             = var.security_group_ids
  }

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = var.require_imdsv2 ? "required" : "optional"
  }

  dynamic "block_device_mappings" {
    for_each = var.volumes
    content {
      device_name = block_device_mappings.value.device_name

      ebs {
        volume_size = block_device_mappings.value.size
        volume_type = "gp3"
        encrypted   = block_device_mappings.value.encrypted
      }
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = var.name })
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_autoscaling_group" "this" {
  name                  = var.name
  min_size              = var.min_size
  max_size              = var.max_size
  max_instance_lifetime = var.max_instance_lifetime
  vpc_zone_identifier   = var.subnet_ids
  health_check_type     = "ELB"

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  instance_refresh {
    strategy = "Rolling"
  }
}

resource "aws_autoscaling_policy" "cpu" {
  count = var.target_cpu == null ? 0 : 1

  name                   = "${var.name}-cpu"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value = var.target_cpu

    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
  }
}
`},
			{"variables.tf", `
variable "name" {
  description = "Name of the group and prefix of the launch template."
  type        = string
}

variable "ami_id" {
  description = "Baked AMI to run."
  type        = string
}

variable "instance_type" {
  description = "Instance type."
  type        = string
  default     = "t3.medium"
}

variable "key_name" {
  description = "EC2 key pair; null for none."
  type        = string
  default     = null
}

variable "user_data" {
  description = "Boot script or cloud-config."
  type        = string
  default     = ""
}

variable "subnet_ids" {
  description = "Subnets of the group."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the instances."
  type        = list(string)
  default     = []
}

variable "require_imdsv2" {
  description = "Require IMDSv2 session tokens."
  type        = bool
  default     = true
}

variable "volumes" {
  description = "EBS volumes of each instance."
  type = list(object({
    device_name = string
    size        = number
    encrypted   = bool
  }))
  default = [{ device_name = "/dev/xvda", size = 20, encrypted = true }]
}

variable "min_size" {
  description = "Minimum group size."
  type        = number
  default     = 2
}

variable "max_size" {
  description = "Maximum group size."
  type        = number
  default     = 6
}

variable "max_instance_lifetime" {
  description = "Seconds an instance may live; null for no limit."
  type        = number
  default     = null
}

variable "target_cpu" {
  description = "Average CPU to track; null for no scaling policy."
  type        = number
  default     = null
}

variable "tags" {
  description = "Tags of the instances."
  type        = map(string)
  default     = {}
}
`},
			{"outputs.tf", `
output "autoscaling_group_name" {
  description = "Name of the group."
  value       = aws_autoscaling_group.this.name
}

output "launch_template_id" {
  description = "ID of the launch template."
  value       = aws_launch_template.this.id
}
`},
		},
		minimalInputs: `  name       = "${local.name}-legacy"
  ami_id     = var.ami_id
  subnet_ids = var.private_subnet_ids
`,
	},
}
