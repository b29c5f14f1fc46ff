variable "encrypt" {
  type    = bool
  default = false
}

resource "aws_elasticache_replication_group" "sessions" { # want FX-AWS-086
  replication_group_id = "sessions"
  description          = "session store"
  node_type            = "cache.t4g.small"
  num_cache_clusters   = 2
}

resource "aws_elasticache_replication_group" "queue" {
  replication_group_id       = "queue"
  description                = "job queue"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  at_rest_encryption_enabled = false # want FX-AWS-086
}

resource "aws_elasticache_replication_group" "shards" {
  count                      = 2
  replication_group_id       = "shard-${count.index}"
  description                = "shard"
  node_type                  = "cache.r7g.large"
  at_rest_encryption_enabled = var.encrypt # want FX-AWS-086
}

resource "aws_elasticache_replication_group" "upper" { # want FX-AWS-086
  replication_group_id = "upper"
  description          = "engine spelled in capitals"
  engine               = "Redis"
  node_type            = "cache.t4g.small"
}
