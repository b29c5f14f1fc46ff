package rules

import (
	"fmt"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// Data rules: caches, search domains, warehouses and databases, and the
// secrets that open them. Immutable servers keep no state; these services
// keep it for them and outlive every deploy, so their encryption, exposure
// and protection against deletion are settled here, once, in code.

const (
	refElastiCacheControls = "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html"
	refOpenSearchControls  = "https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html"
	refRedshiftControls    = "https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html"
	refSecretsControls     = "https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html"
)

var searchDomainTypes = []string{"aws_opensearch_domain", "aws_elasticsearch_domain"}

func awsDataRules() []*Rule {
	return []*Rule{
		{
			ID:       "FX-AWS-086",
			Severity: finding.High,
			Title:    "ElastiCache replication group not encrypted at rest",
			Why: "Cache nodes write their data to disk during syncs and swaps, and backups to S3. Without encryption at " +
				"rest those copies are plain, and the setting can only be chosen when the group is created: fixing it " +
				"later means a new group. The provider default is false for the redis engine.",
			Remediation: "Set `at_rest_encryption_enabled = true` (and `kms_key_id = aws_kms_key.cache.arn`) on the " +
				"aws_elasticache_replication_group.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
				refElastiCacheControls,
			},
			ResourceTypes: []string{"aws_elasticache_replication_group"},
			Check:         checkElastiCacheAtRest,
		},
		{
			ID:       "FX-AWS-087",
			Severity: finding.Medium,
			Title:    "ElastiCache not encrypted in transit",
			Why: "Without TLS, cached data and the AUTH token cross the network in clear text, readable by anything " +
				"that can see the VPC's traffic. Servers in an immutable fleet come and go and connect afresh each " +
				"time; each of those connections should be encrypted. The default is false.",
			Remediation: "Set `transit_encryption_enabled = true` (with `auth_token` or RBAC user groups) on the " +
				"aws_elasticache_replication_group, or on the memcached aws_elasticache_cluster, and connect with TLS.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html",
				refElastiCacheControls,
			},
			ResourceTypes: []string{"aws_elasticache_replication_group", "aws_elasticache_cluster"},
			Check:         checkElastiCacheTransit,
		},
		{
			ID:       "FX-AWS-088",
			Severity: finding.High,
			Title:    "OpenSearch domain not encrypted at rest",
			Why: "Search domains collect logs and copies of application data from the whole fleet. Without an " +
				"encrypt_at_rest block the indices, swap files and automated snapshots are stored unencrypted, and " +
				"turning encryption on later replaces the domain.",
			Remediation: "Add `encrypt_at_rest { enabled = true }` (optionally `kms_key_id = aws_kms_key.search.arn`) to " +
				"the aws_opensearch_domain / aws_elasticsearch_domain.",
			References: []string{
				"https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",
				refOpenSearchControls,
			},
			ResourceTypes: searchDomainTypes,
			Check:         enabledBlock(searchDomainTypes, "encrypt_at_rest"),
		},
		{
			ID:       "FX-AWS-089",
			Severity: finding.Medium,
			Title:    "OpenSearch node-to-node encryption disabled",
			Why: "Without node-to-node encryption, the nodes of a domain exchange documents and queries in clear text " +
				"inside the VPC. It is off unless the node_to_node_encryption block enables it.",
			Remediation: "Add `node_to_node_encryption { enabled = true }` to the aws_opensearch_domain / " +
				"aws_elasticsearch_domain.",
			References: []string{
				"https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html",
				refOpenSearchControls,
			},
			ResourceTypes: searchDomainTypes,
			Check:         enabledBlock(searchDomainTypes, "node_to_node_encryption"),
		},
		{
			ID:       "FX-AWS-090",
			Severity: finding.High,
			Title:    "OpenSearch domain endpoint allows plain HTTP or TLS 1.0",
			Why: "enforce_https = false lets clients send queries, documents and credentials over plain HTTP; the " +
				"Policy-Min-TLS-1-0-2019-07 policy still accepts TLS 1.0 and 1.1, which are deprecated. Both are " +
				"explicit choices in domain_endpoint_options.",
			Remediation: "domain_endpoint_options {\n  enforce_https       = true\n" +
				"  tls_security_policy = \"Policy-Min-TLS-1-2-PFS-2023-10\"\n}",
			References: []string{
				"https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html",
				refOpenSearchControls,
			},
			ResourceTypes: searchDomainTypes,
			Check:         checkSearchEndpointTLS,
		},
		{
			ID:       "FX-AWS-091",
			Severity: finding.High,
			Title:    "Redshift cluster not encrypted",
			Why: "encrypted = false stores the warehouse, its backups and snapshots unencrypted. Current providers " +
				"encrypt by default, so this is a deliberate opt-out, and undoing it later means migrating the cluster.",
			Remediation: "Set `encrypted = true` (or remove `encrypted = false`) and, for a key you control, " +
				"`kms_key_id = aws_kms_key.redshift.arn` on the aws_redshift_cluster.",
			References: []string{
				"https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html",
				refRedshiftControls,
			},
			ResourceTypes: []string{"aws_redshift_cluster"},
			Check: boolSetTo("aws_redshift_cluster", "encrypted", false,
				"%s sets encrypted = false"),
		},
		{
			ID:       "FX-AWS-092",
			Severity: finding.Critical,
			Title:    "Redshift cluster publicly accessible",
			Why: "publicly_accessible = true gives the cluster a public address, so the warehouse, often the largest " +
				"collection of the organisation's data, is one security group rule and one password away from " +
				"the internet.",
			Remediation: "Set `publicly_accessible = false` and place the cluster in private subnets " +
				"(aws_redshift_subnet_group); reach it from inside the VPC or through a VPC endpoint.",
			References: []string{
				"https://docs.aws.amazon.com/redshift/latest/mgmt/managing-clusters-vpc.html",
				refRedshiftControls,
			},
			ResourceTypes: []string{"aws_redshift_cluster"},
			Check: boolSetTo("aws_redshift_cluster", "publicly_accessible", true,
				"%s sets publicly_accessible = true"),
		},
		{
			ID:       "FX-AWS-093",
			Severity: finding.Low,
			Title:    "RDS deletion protection not enabled",
			Why: "Immutable infrastructure replaces rather than repairs, and Terraform does so by destroy and create: " +
				"one changed argument that forces replacement, a renamed resource or a moved module plans the database " +
				"for deletion together with the servers around it. Deletion protection makes AWS refuse that delete, so " +
				"the one stateful part of the stack cannot be replaced by accident. It is off by default.",
			Remediation: "Set `deletion_protection = true` on the aws_db_instance / aws_rds_cluster (and keep " +
				"`skip_final_snapshot = false`); turn it off in a deliberate change when the database is really to go.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection",
				refRDSControls,
			},
			ResourceTypes: []string{"aws_db_instance", "aws_rds_cluster"},
			Check:         checkRDSDeletionProtection,
		},
		{
			ID:       "FX-AWS-096",
			Severity: finding.Medium,
			Title:    "Secrets Manager secret is not rotated",
			Why: "A secret that never changes stays valid in every image, log and laptop it ever leaked to. Immutable " +
				"servers fetch secrets at boot instead of baking them in, which is exactly what makes rotation cheap: " +
				"the next server picks up the new value. No aws_secretsmanager_secret_rotation refers to this secret.",
			Remediation: "Add\n  resource \"aws_secretsmanager_secret_rotation\" \"db\" {\n" +
				"    secret_id           = aws_secretsmanager_secret.db.id\n" +
				"    rotation_lambda_arn = aws_lambda_function.rotate.arn\n" +
				"    rotation_rules {\n      automatically_after_days = 30\n    }\n  }\n" +
				"or, for a database master password, let RDS manage it (manage_master_user_password = true).",
			References: []string{
				"https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
				refSecretsControls,
			},
			ResourceTypes: []string{"aws_secretsmanager_secret", "aws_secretsmanager_secret_rotation"},
			Check:         checkSecretRotation,
		},
	}
}

// boolSetTo builds a check for a bool attribute whose explicit value is the
// problem; unset stays silent because the default depends on the provider
// version.
func boolSetTo(typ, attr string, bad bool, msg string) func(*model.State) []Result {
	return func(s *model.State) []Result {
		var out []Result
		for _, r := range s.OfType(typ) {
			if a := r.Attr(attr); boolIs(a, bad) {
				out = append(out, At(r, a, fmt.Sprintf(msg, label(r))))
			}
		}
		return out
	}
}

// enabledBlock builds a check for a `<block> { enabled = true }` setting
// that is off unless the block is present and enabled.
func enabledBlock(types []string, block string) func(*model.State) []Result {
	return func(s *model.State) []Result {
		var out []Result
		for _, r := range s.OfType(types...) {
			b := r.Body.Block(block)
			if b == nil {
				out = append(out, Missing(r, fmt.Sprintf("%s has no %s block (default disabled)", label(r), block)))
				continue
			}
			off, missing := unsetOrFalse(b, "enabled")
			switch {
			case off != nil:
				out = append(out, At(r, off, fmt.Sprintf("%s sets %s enabled = false", label(r), block)))
			case missing:
				out = append(out, AtBlock(r, b, fmt.Sprintf("%s has a %s block without enabled = true", label(r), block)))
			}
		}
		return out
	}
}

// globalSecondary reports whether a replication group joins a global
// datastore, from which it takes its encryption settings.
func globalSecondary(r *model.Resource) bool {
	return !unset(r.Attr("global_replication_group_id"))
}

func checkElastiCacheAtRest(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_elasticache_replication_group") {
		if globalSecondary(r) {
			continue
		}
		off, missing := unsetOrFalse(r.Body, "at_rest_encryption_enabled")
		if off != nil {
			out = append(out, At(r, off, fmt.Sprintf("%s sets at_rest_encryption_enabled = false", label(r))))
			continue
		}
		if !missing {
			continue
		}
		// The default is false for redis (the default engine), true for valkey.
		engine := "redis"
		if a := r.Attr("engine"); !unset(a) {
			e, ok := a.String()
			if !ok {
				continue
			}
			engine = strings.ToLower(e)
		}
		if engine == "redis" {
			out = append(out, Missing(r, fmt.Sprintf("%s does not set at_rest_encryption_enabled (default false for redis)", label(r))))
		}
	}
	return out
}

func checkElastiCacheTransit(s *model.State) []Result {
	var out []Result
	check := func(r *model.Resource) {
		off, missing := unsetOrFalse(r.Body, "transit_encryption_enabled")
		switch {
		case off != nil:
			out = append(out, At(r, off, fmt.Sprintf("%s sets transit_encryption_enabled = false", label(r))))
		case missing:
			out = append(out, Missing(r, fmt.Sprintf("%s does not set transit_encryption_enabled (default false)", label(r))))
		}
	}
	for _, r := range s.OfType("aws_elasticache_replication_group") {
		if !globalSecondary(r) {
			check(r)
		}
	}
	// A standalone cluster has its own setting only for memcached; redis
	// clusters take theirs from a replication group.
	for _, r := range s.OfType("aws_elasticache_cluster") {
		if e, ok := r.Attr("engine").String(); ok && strings.EqualFold(e, "memcached") && unset(r.Attr("replication_group_id")) {
			check(r)
		}
	}
	return out
}

// oldSearchTLSPolicies accept TLS versions older than 1.2.
var oldSearchTLSPolicies = map[string]bool{"Policy-Min-TLS-1-0-2019-07": true}

func checkSearchEndpointTLS(s *model.State) []Result {
	var rs resultSet
	for _, r := range s.OfType(searchDomainTypes...) {
		for _, b := range r.Body.BlocksOf("domain_endpoint_options") {
			if a := b.Attr("enforce_https"); boolIs(a, false) {
				rs.add(At(r, a, label(r)+" sets enforce_https = false: the endpoint accepts plain HTTP"))
			}
			a := b.Attr("tls_security_policy")
			if p, ok := a.String(); ok && oldSearchTLSPolicies[p] {
				rs.add(At(r, a, label(r)+" sets tls_security_policy = "+quoted(p)+", which accepts TLS 1.0 and 1.1"))
			}
		}
	}
	return rs.list
}

func checkRDSDeletionProtection(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_db_instance", "aws_rds_cluster") {
		if r.Type == "aws_db_instance" && !unset(r.Attr("replicate_source_db")) {
			continue // a read replica holds no data of its own
		}
		off, missing := unsetOrFalse(r.Body, "deletion_protection")
		switch {
		case off != nil:
			out = append(out, At(r, off, fmt.Sprintf("%s sets deletion_protection = false", label(r))))
		case missing:
			out = append(out, Missing(r, fmt.Sprintf("%s does not set deletion_protection (default false)", label(r))))
		}
	}
	return out
}

func checkSecretRotation(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_secretsmanager_secret") {
		// Provider versions before 5 configured rotation on the secret itself.
		if !unset(r.Attr("rotation_lambda_arn")) || r.Body.Block("rotation_rules") != nil {
			continue
		}
		found, unsure := linked(s, r, "aws_secretsmanager_secret_rotation", "secret_id", "name")
		if len(found) > 0 || unsure {
			continue
		}
		out = append(out, Missing(r, fmt.Sprintf("%s has no aws_secretsmanager_secret_rotation", label(r))))
	}
	return out
}
