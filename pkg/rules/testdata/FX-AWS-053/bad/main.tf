resource "aws_efs_file_system" "shared" { # want FX-AWS-053
  creation_token = "shared"
}

resource "aws_efs_file_system" "cache" {
  count          = 2
  creation_token = "cache-${count.index}"
  encrypted      = false # want FX-AWS-053
}
