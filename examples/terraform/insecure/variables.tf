variable "region" {
  description = "AWS region to deploy into."
  type        = string
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

variable "enable_flow_logs" {
  description = "Send VPC flow logs to CloudWatch Logs."
  type        = bool
  default     = true
}

variable "ssh_allowed_cidrs" {
  description = "Networks allowed to SSH to the web servers and the bastion."
  type        = list(string)
}

variable "instance_type" {
  description = "Instance type of the web servers."
  type        = string
  default     = "t3.medium"
}

variable "key_name" {
  description = "EC2 key pair for SSH access."
  type        = string
}

variable "app_version" {
  description = "Release of the web application to install at boot."
  type        = string
}

variable "puppet_server" {
  description = "Puppet server the agents register with."
  type        = string
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
  description = "Number of web servers to start with."
  type        = number
  default     = 2
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener."
  type        = string
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t3.medium"
}

variable "db_password" {
  description = "Master password of the database."
  type        = string
}
