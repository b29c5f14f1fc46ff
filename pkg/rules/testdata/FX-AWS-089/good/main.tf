variable "n2n" {
  type = bool
}

resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  encrypt_at_rest {
    enabled = false
  }

  node_to_node_encryption {
    enabled = true
  }
}

resource "aws_elasticsearch_domain" "unknown" {
  domain_name           = "unknown"
  elasticsearch_version = "7.10"

  node_to_node_encryption {
    enabled = var.n2n
  }
}
