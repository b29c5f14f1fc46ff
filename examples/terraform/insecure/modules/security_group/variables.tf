variable "name" {
  description = "Name of the security group; also its Name tag."
  type        = string
}

variable "description" {
  description = "What the group is for, shown in the EC2 console."
  type        = string
}

variable "vpc_id" {
  description = "VPC the group belongs to."
  type        = string
}

variable "ingress_rules" {
  description = "Inbound rules. Give cidr_blocks, security_groups or prefix_list_ids."
  type = list(object({
    description     = string
    from_port       = number
    to_port         = number
    protocol        = optional(string, "tcp")
    cidr_blocks     = optional(list(string), [])
    security_groups = optional(list(string), [])
    prefix_list_ids = optional(list(string), [])
  }))
  default = []
}

variable "egress_rules" {
  description = "Outbound rules, same shape as ingress_rules."
  type = list(object({
    description     = string
    from_port       = number
    to_port         = number
    protocol        = optional(string, "tcp")
    cidr_blocks     = optional(list(string), [])
    security_groups = optional(list(string), [])
    prefix_list_ids = optional(list(string), [])
  }))
  default = []
}

variable "tags" {
  description = "Tags added to the group."
  type        = map(string)
  default     = {}
}
