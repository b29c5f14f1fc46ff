resource "aws_ebs_encryption_by_default" "on" {
  enabled = true
}

# enabled defaults to true.
resource "aws_ebs_encryption_by_default" "implicit" {
}
