variable "region" {
  type = string
}

variable "name" {
  default = "web"
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}

resource "aws_instance" "i" {
  ami       = "ami-1"
  user_data = <<-EOT
    #!/bin/sh
    export AWS_DEFAULT_REGION=${var.region}
    echo ${var.name} > /etc/name
    %{ if var.region == "x" }yes%{ endif }
  EOT
  quoted    = "name=${var.name} arn=${aws_s3_bucket.b.arn}"
  wrapped   = "${base64encode("r=${var.region}")}"
  gzip      = base64gzip(<<-EOT
    a=${var.name}
    b=${var.region}
  EOT
  )
  file      = templatefile("${path.module}/boot.tpl", { name = var.name, region = var.region })
  file_b64  = base64encode(templatefile("boot.tpl", { name = "x", region = var.region }))
  all_vars  = templatefile("boot.tpl", var.unset_map)
  missing   = templatefile("nosuch.tpl", {})
  known     = "name=${var.name}"
  only_ref  = "${var.region}"
  call      = upper("x=${var.region}")
  broken    = "a=${var.name} b=${nosuch(1)}"
  parens = (
    <<-EOT
    r=${var.region}
    EOT
  )
}

variable "unset_map" {
  type = map(string)
}
