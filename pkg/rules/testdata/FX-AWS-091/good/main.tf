variable "encrypted" {
  type = bool
}

resource "aws_redshift_cluster" "encrypted" {
  cluster_identifier     = "encrypted"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
  encrypted              = true
  kms_key_id             = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# Current providers encrypt by default.
resource "aws_redshift_cluster" "default" {
  cluster_identifier     = "default"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
}

resource "aws_redshift_cluster" "unknown" {
  cluster_identifier     = "unknown"
  node_type              = "ra3.xlplus"
  master_username        = "admin"
  manage_master_password = true
  encrypted              = var.encrypted
}
