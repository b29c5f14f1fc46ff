variable "tls" {
  type = bool
}

resource "aws_elasticache_replication_group" "tls" {
  replication_group_id       = "tls"
  description                = "tls"
  node_type                  = "cache.t4g.small"
  transit_encryption_enabled = true
}

resource "aws_elasticache_replication_group" "secondary" {
  replication_group_id        = "secondary"
  description                 = "secondary"
  global_replication_group_id = "ldgnf-global"
}

resource "aws_elasticache_replication_group" "unknown" {
  replication_group_id       = "unknown"
  description                = "unknown"
  node_type                  = "cache.t4g.small"
  transit_encryption_enabled = var.tls
}

# A redis cluster member takes the setting from its replication group.
resource "aws_elasticache_cluster" "replica" {
  cluster_id           = "replica"
  replication_group_id = aws_elasticache_replication_group.tls.id
}

resource "aws_elasticache_cluster" "memcached" {
  cluster_id                 = "memcached"
  engine                     = "memcached"
  node_type                  = "cache.t4g.small"
  num_cache_nodes            = 2
  transit_encryption_enabled = true
}
