variable "tls" {
  type    = string
  default = "false"
}

resource "aws_elasticache_replication_group" "sessions" { # want FX-AWS-087
  replication_group_id       = "sessions"
  description                = "session store"
  node_type                  = "cache.t4g.small"
  at_rest_encryption_enabled = true
}

resource "aws_elasticache_replication_group" "queue" {
  count                      = 2
  replication_group_id       = "queue-${count.index}"
  description                = "job queue"
  node_type                  = "cache.t4g.small"
  transit_encryption_enabled = var.tls # want FX-AWS-087
}

resource "aws_elasticache_cluster" "memcached" { # want FX-AWS-087
  cluster_id      = "memcached"
  engine          = "memcached"
  node_type       = "cache.t4g.small"
  num_cache_nodes = 2
}

resource "aws_elasticache_cluster" "memcached_off" {
  cluster_id                 = "memcached-off"
  engine                     = "memcached"
  node_type                  = "cache.t4g.small"
  num_cache_nodes            = 1
  transit_encryption_enabled = false # want FX-AWS-087
}
