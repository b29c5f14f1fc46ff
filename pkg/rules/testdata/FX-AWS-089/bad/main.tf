resource "aws_opensearch_domain" "logs" { # want FX-AWS-089
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  encrypt_at_rest {
    enabled = true
  }
}

resource "aws_elasticsearch_domain" "legacy" {
  for_each              = toset(["a", "b"])
  domain_name           = "legacy-${each.key}"
  elasticsearch_version = "7.10"

  node_to_node_encryption {
    enabled = false # want FX-AWS-089
  }
}
