variable "encrypt" {
  type    = bool
  default = false
}

resource "aws_opensearch_domain" "logs" { # want FX-AWS-088
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"
}

resource "aws_elasticsearch_domain" "legacy" {
  domain_name           = "legacy"
  elasticsearch_version = "7.10"

  encrypt_at_rest {
    enabled = false # want FX-AWS-088
  }
}

resource "aws_opensearch_domain" "per_team" {
  count          = 2
  domain_name    = "team-${count.index}"
  engine_version = "OpenSearch_2.13"

  encrypt_at_rest {
    enabled = var.encrypt # want FX-AWS-088
  }
}
