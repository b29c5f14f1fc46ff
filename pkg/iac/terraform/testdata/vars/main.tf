variable "from_default" {
  default = "default"
}

variable "from_tfvars" {
  default = "default"
}

variable "from_tfvars_json" {
  default = "default"
}

variable "from_auto" {
  default = "default"
}

variable "from_varfile" {
  default = "default"
}

variable "from_var" {
  default = "default"
}

variable "port" {
  type    = number
  default = "8080"
}

variable "cidrs" {
  type = list(string)
}

variable "settings" {
  type = object({
    name    = string
    enabled = optional(bool, true)
  })
  default = { name = "x" }
}

variable "unset_string" {
  type = string
}

variable "unset_any" {}

resource "aws_thing" "t" {
  from_default     = var.from_default
  from_tfvars      = var.from_tfvars
  from_tfvars_json = var.from_tfvars_json
  from_auto        = var.from_auto
  from_varfile     = var.from_varfile
  from_var         = var.from_var
  port             = var.port
  cidrs            = var.cidrs
  settings         = var.settings
  unset_string     = var.unset_string
  unset_any        = var.unset_any
  workspace        = terraform.workspace
  module_path      = path.module
}
