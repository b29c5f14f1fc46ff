variable "tls_policy" {
  type    = string
  default = "Policy-Min-TLS-1-0-2019-07"
}

resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.13"

  domain_endpoint_options {
    enforce_https       = false                        # want FX-AWS-090
    tls_security_policy = "Policy-Min-TLS-1-0-2019-07" # want FX-AWS-090
  }
}

resource "aws_elasticsearch_domain" "legacy" {
  count                 = 2
  domain_name           = "legacy-${count.index}"
  elasticsearch_version = "7.10"

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = var.tls_policy # want FX-AWS-090
  }
}
