variable "engine" {
  type = string
}

variable "encrypt" {
  type = bool
}

resource "aws_elasticache_replication_group" "encrypted" {
  replication_group_id       = "encrypted"
  description                = "encrypted"
  node_type                  = "cache.t4g.small"
  at_rest_encryption_enabled = true
  kms_key_id                 = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

# Valkey encrypts at rest by default.
resource "aws_elasticache_replication_group" "valkey" {
  replication_group_id = "valkey"
  description          = "valkey"
  engine               = "valkey"
  node_type            = "cache.t4g.small"
}

# A global datastore member takes its settings from the primary.
resource "aws_elasticache_replication_group" "secondary" {
  replication_group_id        = "secondary"
  description                 = "secondary"
  global_replication_group_id = "ldgnf-global"
}

resource "aws_elasticache_replication_group" "unknown_engine" {
  replication_group_id = "unknown-engine"
  description          = "unknown"
  engine               = var.engine
  node_type            = "cache.t4g.small"
}

resource "aws_elasticache_replication_group" "unknown_flag" {
  replication_group_id       = "unknown-flag"
  description                = "unknown"
  node_type                  = "cache.t4g.small"
  at_rest_encryption_enabled = var.encrypt
}
