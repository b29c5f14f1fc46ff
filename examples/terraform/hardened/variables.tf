variable "region" {
  description = "AWS region to deploy into."
  type        = string
}

variable "account_id" {
  description = "AWS account the stack belongs to; the provider refuses to run against any other."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be a 12-digit AWS account ID."
  }
}

variable "project" {
  description = "Short project name used in resource names."
  type        = string
}

variable "environment" {
  description = "Deployment environment (staging, production)."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
}

variable "availability_zones" {
  description = "Availability zones to spread subnets over."
  type        = list(string)
}

variable "ami_id" {
  description = "Baked AMI of the web tier, produced and signed by the image pipeline. Changing it rolls the group."
  type        = string

  validation {
    condition     = can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be a pinned AMI ID (ami-...), not a name or a filter."
  }
}

variable "instance_type" {
  description = "Instance type of the web servers."
  type        = string
  default     = "t3.medium"
}

variable "app_port" {
  description = "Port the web service listens on."
  type        = number
  default     = 8080
}

variable "asg_min_size" {
  description = "Minimum number of web servers."
  type        = number
  default     = 2
}

variable "asg_max_size" {
  description = "Maximum number of web servers."
  type        = number
  default     = 6
}

variable "asg_desired_capacity" {
  description = "Number of web servers to start with; target tracking takes over after that."
  type        = number
  default     = 2
}

variable "max_instance_lifetime" {
  description = "Seconds a server may live before Auto Scaling replaces it (1 to 365 days)."
  type        = number
  default     = 604800

  validation {
    condition     = var.max_instance_lifetime >= 86400 && var.max_instance_lifetime <= 31536000
    error_message = "max_instance_lifetime must be between 86400 (1 day) and 31536000 (365 days)."
  }
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener."
  type        = string
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "log_archive_bucket" {
  description = "Bucket of the organisation's log-archive account that receives this stack's access-log bucket logs."
  type        = string
}

variable "github_repository" {
  description = "owner/name of the repository whose main branch may deploy."
  type        = string
}
