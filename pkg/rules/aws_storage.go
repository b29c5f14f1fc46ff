package rules

import (
	"fmt"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// Storage rules: S3 buckets, databases and the data services an immutable
// fleet keeps its state in. Servers are thrown away and rebuilt; the data
// they used is not, so it must be private, encrypted and recoverable on its
// own.

const (
	refS3BPA        = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"
	refS3Controls   = "https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html"
	refCISAWS       = "https://www.cisecurity.org/benchmark/amazon_web_services"
	refS3ACL        = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html"
	refS3Ownership  = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html"
	refS3Policy     = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html"
	refIAMPrincipal = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
	refRDSControls  = "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html"
)

func awsStorageRules() []*Rule {
	rules := []*Rule{
		{
			ID:       "FX-AWS-040",
			Severity: finding.Critical,
			Title:    "S3 bucket ACL grants public access",
			Why: "A canned ACL such as public-read, or a grant to the AllUsers or AuthenticatedUsers group, lets anyone " +
				"on the internet (or any AWS account) read or write the bucket. In an immutable setup buckets hold what " +
				"servers are built from and what they leave behind: artifacts, images, configuration, logs, backups. " +
				"A public bucket leaks them, and a writable one lets a stranger replace the artifacts the next deploy " +
				"bakes into every server.",
			Remediation: "Remove the public ACL and turn ACLs off: drop `acl` (or set it to \"private\"), remove grants to " +
				"AllUsers/AuthenticatedUsers, and add aws_s3_bucket_ownership_controls with " +
				"`rule { object_ownership = \"BucketOwnerEnforced\" }` plus an aws_s3_bucket_public_access_block with all " +
				"four settings true. Serve public content through CloudFront with origin access control instead.",
			References:    []string{refS3ACL, refS3Ownership, refS3BPA, refS3Controls},
			ResourceTypes: []string{"aws_s3_bucket", "aws_s3_bucket_acl"},
			Check:         checkS3PublicACL,
		},
		{
			ID:       "FX-AWS-041",
			Severity: finding.Critical,
			Title:    "S3 bucket policy allows any principal",
			Why: "A bucket policy statement that allows Principal \"*\" (or {\"AWS\": \"*\"}, or NotPrincipal) without a " +
				"condition grants its actions to everyone, authenticated or not. Artifacts, AMI build inputs and state " +
				"in such a bucket are readable, or writable, by anyone: the supply chain of every server built from it " +
				"is open.",
			Remediation: "Name the principals that need access (role ARNs, or a service principal with an aws:SourceArn " +
				"condition), or keep Principal \"*\" only together with a restricting Condition such as aws:PrincipalOrgID " +
				"or aws:SourceVpce. For public websites, serve through CloudFront with origin access control.",
			References:    []string{refS3Policy, refIAMPrincipal, refS3Controls},
			ResourceTypes: []string{"aws_s3_bucket_policy", "aws_s3_bucket", "aws_iam_policy_document"},
			Check:         checkS3PolicyAnyPrincipal,
		},
		{
			ID:       "FX-AWS-042",
			Severity: finding.High,
			Title:    "S3 bucket has no public access block",
			Why: "S3 Block Public Access is the backstop that keeps a bucket private even when a later change adds a " +
				"public ACL or policy by mistake. Without an aws_s3_bucket_public_access_block for the bucket (or an " +
				"account-wide one with all four settings on), one wrong line in a future change publishes the bucket.",
			Remediation: "Add `resource \"aws_s3_bucket_public_access_block\" \"b\" { bucket = aws_s3_bucket.b.id; " +
				"block_public_acls = true; block_public_policy = true; ignore_public_acls = true; " +
				"restrict_public_buckets = true }`, or aws_s3_account_public_access_block with the same four settings.",
			References:    []string{refS3BPA, refS3Controls, refCISAWS},
			ResourceTypes: []string{"aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"},
			Check:         checkS3NoPublicAccessBlock,
		},
		publicAccessBlockRule("FX-AWS-043", "block_public_acls", "Public access block does not block public ACLs",
			"block_public_acls rejects requests that would set a public ACL on the bucket or its objects. Left off, a "+
				"public-read ACL set by a pipeline, a tool or a person goes through."),
		publicAccessBlockRule("FX-AWS-044", "block_public_policy", "Public access block does not block public policies",
			"block_public_policy rejects bucket policies that grant public access. Left off, a policy with Principal "+
				"\"*\" can be attached and the bucket becomes public at once."),
		publicAccessBlockRule("FX-AWS-045", "ignore_public_acls", "Public access block does not ignore public ACLs",
			"ignore_public_acls makes S3 disregard public ACLs already on the bucket and its objects. Left off, "+
				"objects uploaded with a public ACL (by an old build script, say) stay readable by anyone."),
		publicAccessBlockRule("FX-AWS-046", "restrict_public_buckets", "Public access block does not restrict public buckets",
			"restrict_public_buckets limits a bucket that has a public policy to AWS service principals and the owner "+
				"account. Left off, a public policy that slipped in is honoured for everyone."),
		{
			ID:       "FX-AWS-047",
			Severity: finding.High,
			Title:    "S3 bucket not encrypted at rest",
			Why: "Without a declared server-side encryption configuration the bucket relies on whatever the account " +
				"default is. S3 now applies SSE-S3 to new objects by default, but only an explicit configuration pins " +
				"the algorithm in code, lets you use a KMS key whose policy you control (so reading the data needs kms:Decrypt " +
				"too), and keeps the setting from drifting outside the pipeline.",
			Remediation: "Add `resource \"aws_s3_bucket_server_side_encryption_configuration\" \"b\" { bucket = aws_s3_bucket.b.id; " +
				"rule { apply_server_side_encryption_by_default { sse_algorithm = \"aws:kms\"; kms_master_key_id = aws_kms_key.s3.arn } " +
				"bucket_key_enabled = true } }`.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
				"https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html",
				refS3Controls,
			},
			ResourceTypes: []string{"aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration"},
			Check:         checkS3Encryption,
		},
		{
			ID:       "FX-AWS-048",
			Severity: finding.Medium,
			Title:    "S3 bucket versioning not enabled",
			Why: "Immutable deploys depend on being able to go back: the artifact, template or state of the previous " +
				"release must still exist when a rollout fails. Without versioning an overwrite or delete (by a bug, a " +
				"compromised pipeline or ransomware) is permanent.",
			Remediation: "Add `resource \"aws_s3_bucket_versioning\" \"b\" { bucket = aws_s3_bucket.b.id; " +
				"versioning_configuration { status = \"Enabled\" } }` and a lifecycle rule that expires noncurrent versions.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
				refS3Controls,
			},
			ResourceTypes: []string{"aws_s3_bucket", "aws_s3_bucket_versioning"},
			Check:         checkS3Versioning,
		},
		{
			ID:       "FX-AWS-049",
			Severity: finding.Medium,
			Title:    "S3 bucket access logging not enabled",
			Why: "Server access logs record every request to the bucket. When servers are replaced rather than " +
				"inspected, the buckets they read from and write to are where an investigation looks; without logs " +
				"nobody can tell who fetched or replaced an artifact.",
			Remediation: "Add `resource \"aws_s3_bucket_logging\" \"b\" { bucket = aws_s3_bucket.b.id; " +
				"target_bucket = aws_s3_bucket.logs.id; target_prefix = \"s3/b/\" }`. The log bucket itself is exempt.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
				refS3Controls, refCISAWS,
			},
			ResourceTypes: []string{"aws_s3_bucket", "aws_s3_bucket_logging"},
			Check:         checkS3Logging,
		},
		{
			ID:       "FX-AWS-050",
			Severity: finding.High,
			Title:    "RDS instance or cluster storage not encrypted",
			Why: "Databases outlive every server in an immutable fleet and hold the data the fleet exists for. " +
				"Unencrypted storage also means unencrypted snapshots and replicas, and encryption cannot be switched " +
				"on later without restoring into a new instance.",
			Remediation: "Set `storage_encrypted = true` (and `kms_key_id = aws_kms_key.db.arn` for a key you control) on " +
				"aws_db_instance / aws_rds_cluster. For an existing database, restore an encrypted snapshot copy.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
				refRDSControls,
			},
			ResourceTypes: []string{"aws_db_instance", "aws_rds_cluster"},
			Check:         checkRDSEncrypted,
		},
		{
			ID:       "FX-AWS-051",
			Severity: finding.Critical,
			Title:    "RDS instance publicly accessible",
			Why: "publicly_accessible = true gives the database a public DNS name and address, so its only protection " +
				"is a security group and a password. Application servers reach it from inside the VPC; nothing else " +
				"should reach it at all.",
			Remediation: "Set `publicly_accessible = false` and place the database in private subnets " +
				"(aws_db_subnet_group); reach it for administration through SSM Session Manager port forwarding.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
				refRDSControls,
			},
			ResourceTypes: []string{"aws_db_instance", "aws_rds_cluster_instance"},
			Check:         checkRDSPublic,
		},
		{
			ID:       "FX-AWS-052",
			Severity: finding.High,
			Title:    "Hard-coded database master password",
			Why: "A master password written in the configuration (a literal, a variable default or a tfvars value) sits " +
				"in the repository, its history, every clone and the Terraform state, and cannot be rotated without a " +
				"commit. Immutable infrastructure keeps secrets out of the artifacts and templates it deploys.",
			Remediation: "Set `manage_master_user_password = true` so RDS keeps the password in Secrets Manager and rotates " +
				"it, or pass it from a secret at apply time (a variable without default, marked sensitive).",
			References: []string{
				"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html",
				"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#manage_master_user_password",
			},
			ResourceTypes: []string{"aws_db_instance", "aws_rds_cluster"},
			Check:         checkDBPassword,
		},
		{
			ID:       "FX-AWS-053",
			Severity: finding.High,
			Title:    "EFS file system not encrypted",
			Why: "EFS is the shared state of a fleet whose servers are disposable. Encryption at rest can only be chosen " +
				"when the file system is created; fixing it later means copying every file into a new one.",
			Remediation: "Set `encrypted = true` (and `kms_key_id = aws_kms_key.efs.arn`) on aws_efs_file_system.",
			References: []string{
				"https://docs.aws.amazon.com/efs/latest/ug/encryption.html",
				"https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html",
			},
			ResourceTypes: []string{"aws_efs_file_system"},
			Check: offByDefault("aws_efs_file_system", "encrypted",
				"%s does not set encrypted (default false)", "%s sets encrypted = false"),
		},
		{
			ID:       "FX-AWS-054",
			Severity: finding.Medium,
			Title:    "DynamoDB table not encrypted with a KMS key",
			Why: "Without server_side_encryption enabled, a table is encrypted with an AWS owned key that no key policy " +
				"or CloudTrail event lets you control or audit. With a KMS key, reading the data also needs kms:Decrypt, " +
				"and every use of the key is logged.",
			Remediation: "Add `server_side_encryption { enabled = true; kms_key_arn = aws_kms_key.dynamodb.arn }` to the " +
				"aws_dynamodb_table.",
			References: []string{
				"https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
				"https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html",
			},
			ResourceTypes: []string{"aws_dynamodb_table"},
			Check:         encryptionBlock("aws_dynamodb_table"),
		},
		{
			ID:       "FX-AWS-055",
			Severity: finding.High,
			Title:    "DAX cluster not encrypted at rest",
			Why: "A DAX cluster caches table items on its nodes' disks. Encryption at rest is off by default and can only " +
				"be set when the cluster is created.",
			Remediation: "Add `server_side_encryption { enabled = true }` to the aws_dax_cluster (this replaces the cluster).",
			References: []string{
				"https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAXEncryptionAtRest.html",
				"https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html",
			},
			ResourceTypes: []string{"aws_dax_cluster"},
			Check:         encryptionBlock("aws_dax_cluster"),
		},
		{
			ID:       "FX-AWS-056",
			Severity: finding.Medium,
			Title:    "SNS topic not encrypted",
			Why: "SNS topics carry deploy notifications, alarms and events between services. Without " +
				"kms_master_key_id, messages are stored unencrypted while awaiting delivery and access to them is " +
				"governed by the topic policy alone.",
			Remediation: "Set `kms_master_key_id = aws_kms_key.sns.arn` (or \"alias/aws/sns\") on the aws_sns_topic.",
			References: []string{
				"https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
				"https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html",
			},
			ResourceTypes: []string{"aws_sns_topic"},
			Check: keyUnset("aws_sns_topic", "kms_master_key_id",
				"%s does not set kms_master_key_id: messages are not encrypted at rest",
				"%s sets kms_master_key_id to an empty string: messages are not encrypted at rest"),
		},
		{
			ID:       "FX-AWS-057",
			Severity: finding.Medium,
			Title:    "SQS queue not encrypted",
			Why: "Queues hold work items between services, often with customer data in them. New queues get SQS-managed " +
				"encryption (SSE-SQS) by default; turning it off with sqs_managed_sse_enabled = false and no KMS key " +
				"stores messages unencrypted.",
			Remediation: "Remove `sqs_managed_sse_enabled = false`, or set `kms_master_key_id = aws_kms_key.sqs.arn` for a " +
				"key you control.",
			References: []string{
				"https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
				"https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html",
			},
			ResourceTypes: []string{"aws_sqs_queue"},
			Check:         checkSQSEncryption,
		},
	}
	return rules
}

// publicCannedACLs are the canned ACLs that grant access outside the account.
var publicCannedACLs = map[string]string{
	"public-read":        "read access to everyone",
	"public-read-write":  "read and write access to everyone",
	"authenticated-read": "read access to every AWS account",
}

func publicGroup(uri string) (string, bool) {
	switch {
	case strings.HasSuffix(uri, "/global/AllUsers"):
		return "AllUsers", true
	case strings.HasSuffix(uri, "/global/AuthenticatedUsers"):
		return "AuthenticatedUsers", true
	}
	return "", false
}

func checkS3PublicACL(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_s3_bucket", "aws_s3_bucket_acl") {
		if a := r.Attr("acl"); a != nil {
			if v, ok := a.String(); ok {
				if what, bad := publicCannedACLs[v]; bad {
					out = append(out, At(r, a, fmt.Sprintf("%s sets acl %q, which grants %s", label(r), v, what)))
				}
			}
		}
		grants := r.Body.BlocksOf("grant") // aws_s3_bucket inline grants
		if r.Type == "aws_s3_bucket_acl" {
			grants = r.Body.Block("access_control_policy").BlocksOf("grant")
		}
		for _, g := range grants {
			uri, ok := g.Attr("uri").String()
			if !ok {
				uri, ok = g.Block("grantee").Attr("uri").String()
			}
			if !ok {
				continue
			}
			group, public := publicGroup(uri)
			if !public {
				continue
			}
			perms, _ := g.Attr("permissions").Strings()
			if p, ok := g.Attr("permission").String(); ok {
				perms = append(perms, p)
			}
			out = append(out, AtBlock(r, g, fmt.Sprintf("%s grants %s to the %s group", label(r), quoteAll(perms), group)))
		}
	}
	return out
}

func checkS3PolicyAnyPrincipal(s *model.State) []Result {
	var f policyFindings
	for _, r := range s.OfType("aws_s3_bucket_policy", "aws_s3_bucket") {
		a := r.Attr("policy")
		for _, p := range readPolicies(s, r, a) {
			for _, st := range p.Statements {
				if !st.allow() {
					continue
				}
				who, open := st.anyPrincipal()
				if !open {
					continue
				}
				if who == "*" {
					who = `Principal "*"`
				}
				if has, known := st.hasCondition(); has || !known {
					continue
				}
				owner := label(r) + " policy"
				if st.Doc {
					owner = fmt.Sprintf("%s (policy of %s)", docOwner(st), label(r))
				}
				vals := []string{"principal:" + who}
				switch {
				case st.Actions.Present:
					for _, a := range st.Actions.Known {
						vals = append(vals, "action:"+fmt.Sprintf("%q", a))
					}
				case st.NotActions.Present:
					vals = append(vals, "action:every action but "+quoteAll(st.NotActions.Known))
				}
				f.add(st, owner, vals...)
			}
		}
	}
	return f.results(func(owner string, vals []string) string {
		var who, what []string
		for _, v := range vals {
			if p, ok := strings.CutPrefix(v, "principal:"); ok {
				who = append(who, p)
			} else {
				what = append(what, strings.TrimPrefix(v, "action:"))
			}
		}
		if len(what) == 0 {
			what = []string{"every action"}
		}
		return fmt.Sprintf("%s allows %s to anyone (%s) without a condition", owner, strings.Join(what, ", "), strings.Join(who, ", "))
	})
}

// pabSettings are the four settings of a public access block.
var pabSettings = []string{"block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"}

// accountBlocksPublic reports whether an account-wide public access block
// turns all four settings on; unsure when one exists but cannot be read.
func accountBlocksPublic(s *model.State, root string) (blocks, unsure bool) {
	for _, r := range s.InRoot(root, "aws_s3_account_public_access_block") {
		all, allKnown := true, true
		for _, name := range pabSettings {
			v, ok := r.Attr(name).Bool()
			if r.Attr(name) != nil && !ok {
				allKnown = false
			}
			all = all && ok && v
		}
		if all {
			return true, false
		}
		if !allKnown {
			unsure = true
		}
	}
	return false, unsure
}

func checkS3NoPublicAccessBlock(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_s3_bucket") {
		if blocks, unsure := accountBlocksPublic(s, r.Root); blocks || unsure {
			continue
		}
		found, unsure := linked(s, r, "aws_s3_bucket_public_access_block", "bucket", "bucket")
		if len(found) > 0 || unsure {
			continue
		}
		out = append(out, Missing(r, fmt.Sprintf("%s has no aws_s3_bucket_public_access_block and the account has none blocking all public access", label(r))))
	}
	return out
}

func publicAccessBlockRule(id, setting, title, why string) *Rule {
	return &Rule{
		ID:       id,
		Severity: finding.High,
		Title:    title,
		Why: why + " A public access block is only a backstop when all four settings are on; in an immutable setup " +
			"the buckets behind it hold the artifacts every server is built from.",
		Remediation: fmt.Sprintf("Set `%s = true` on the aws_s3_bucket_public_access_block (or "+
			"aws_s3_account_public_access_block), together with the other three settings.", setting),
		References:    []string{refS3BPA, refS3Controls, refCISAWS},
		ResourceTypes: []string{"aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"},
		Check: func(s *model.State) []Result {
			var out []Result
			for _, r := range s.OfType("aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block") {
				off, missing := unsetOrFalse(r.Body, setting)
				switch {
				case off != nil:
					out = append(out, At(r, off, fmt.Sprintf("%s sets %s = false", label(r), setting)))
				case missing:
					out = append(out, Missing(r, fmt.Sprintf("%s does not set %s (default false)", label(r), setting)))
				}
			}
			return out
		},
	}
}

func checkS3Encryption(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_s3_bucket") {
		if r.Body.Block("server_side_encryption_configuration") != nil {
			continue
		}
		found, unsure := linked(s, r, "aws_s3_bucket_server_side_encryption_configuration", "bucket", "bucket")
		if len(found) > 0 || unsure {
			continue
		}
		out = append(out, Missing(r, fmt.Sprintf("%s has no server-side encryption configuration", label(r))))
	}
	return out
}

func checkS3Versioning(s *model.State) []Result {
	var out []Result
	// A versioning resource is judged on its own status: it is where the fix goes.
	for _, v := range s.OfType("aws_s3_bucket_versioning") {
		for _, vc := range v.Body.BlocksOf("versioning_configuration") {
			a := vc.Attr("status")
			if st, ok := a.String(); ok && st != "Enabled" {
				out = append(out, At(v, a, fmt.Sprintf("%s sets versioning status %q", label(v), st)))
			}
		}
	}
	for _, r := range s.OfType("aws_s3_bucket") {
		found, unsure := linked(s, r, "aws_s3_bucket_versioning", "bucket", "bucket")
		if len(found) > 0 || unsure {
			continue // the versioning resource overrides the inline block
		}
		vb := r.Body.Block("versioning")
		if vb == nil {
			out = append(out, Missing(r, fmt.Sprintf("%s has no versioning configuration", label(r))))
			continue
		}
		off, missing := unsetOrFalse(vb, "enabled")
		switch {
		case off != nil:
			out = append(out, At(r, off, fmt.Sprintf("%s sets versioning enabled = false", label(r))))
		case missing:
			out = append(out, AtBlock(r, vb, fmt.Sprintf("%s has a versioning block without enabled = true", label(r))))
		}
	}
	return out
}

func checkS3Logging(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_s3_bucket") {
		if r.Body.Block("logging") != nil {
			continue
		}
		if found, unsure := linked(s, r, "aws_s3_bucket_logging", "bucket", "bucket"); len(found) > 0 || unsure {
			continue
		}
		if isLogBucket(s, r) {
			continue
		}
		out = append(out, Missing(r, fmt.Sprintf("%s has no access logging", label(r))))
	}
	return out
}

// isLogBucket reports whether the bucket receives access logs, or might: a
// log bucket logging to itself loops, so it is exempt from FX-AWS-049.
func isLogBucket(s *model.State, r *model.Resource) bool {
	if acl, ok := r.Attr("acl").String(); ok && acl == "log-delivery-write" {
		return true
	}
	acls, _ := linked(s, r, "aws_s3_bucket_acl", "bucket", "bucket")
	for _, a := range acls {
		if acl, ok := a.Attr("acl").String(); ok && acl == "log-delivery-write" {
			return true
		}
	}
	if found, unsure := linked(s, r, "aws_s3_bucket_logging", "target_bucket", "bucket"); len(found) > 0 || unsure {
		return true
	}
	name, named := r.Attr("bucket").String()
	for _, other := range s.OfType("aws_s3_bucket") {
		for _, lb := range other.Body.BlocksOf("logging") {
			t := lb.Attr("target_bucket")
			if t.RefersTo(r) {
				return true
			}
			if v, ok := t.String(); ok && named && v == name {
				return true
			}
			if t != nil && !t.Value.IsWhollyKnown() && !t.RefersToType("aws_s3_bucket") {
				return true // might be this one
			}
		}
	}
	return false
}

func checkRDSEncrypted(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_db_instance", "aws_rds_cluster") {
		if r.Type == "aws_db_instance" && r.Attr("replicate_source_db") != nil {
			continue // a read replica takes its encryption from the source
		}
		off, missing := unsetOrFalse(r.Body, "storage_encrypted")
		if off != nil {
			out = append(out, At(r, off, fmt.Sprintf("%s sets storage_encrypted = false", label(r))))
			continue
		}
		if !missing {
			continue
		}
		if r.Type == "aws_rds_cluster" {
			// The provider's default is true for engine_mode "serverless"
			// (Aurora Serverless v1), false otherwise.
			mode := r.Attr("engine_mode")
			if m, ok := mode.String(); mode != nil && (!ok || m == "serverless") {
				continue
			}
		}
		out = append(out, Missing(r, fmt.Sprintf("%s does not set storage_encrypted (default false)", label(r))))
	}
	return out
}

func checkRDSPublic(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_db_instance", "aws_rds_cluster_instance") {
		if a := r.Attr("publicly_accessible"); boolIs(a, true) {
			out = append(out, At(r, a, fmt.Sprintf("%s sets publicly_accessible = true", label(r))))
		}
	}
	return out
}

func checkDBPassword(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_db_instance", "aws_rds_cluster") {
		name := "password"
		if r.Type == "aws_rds_cluster" {
			name = "master_password"
		}
		a := r.Attr(name)
		if v, ok := a.String(); ok && v != "" {
			// Never echo the secret itself into a report.
			out = append(out, At(r, a, fmt.Sprintf("%s sets %s to a value written in the configuration (%d characters)", label(r), name, len(v))))
		}
	}
	return out
}

// offByDefault builds a check for a bool attribute that defaults to false
// and must be true.
func offByDefault(typ, attr, missingMsg, falseMsg string) func(*model.State) []Result {
	return func(s *model.State) []Result {
		var out []Result
		for _, r := range s.OfType(typ) {
			off, missing := unsetOrFalse(r.Body, attr)
			switch {
			case off != nil:
				out = append(out, At(r, off, fmt.Sprintf(falseMsg, label(r))))
			case missing:
				out = append(out, Missing(r, fmt.Sprintf(missingMsg, label(r))))
			}
		}
		return out
	}
}

// keyUnset builds a check for an optional KMS key attribute that must be set.
func keyUnset(typ, attr, missingMsg, emptyMsg string) func(*model.State) []Result {
	return func(s *model.State) []Result {
		var out []Result
		for _, r := range s.OfType(typ) {
			empty, missing := unsetOrEmpty(r.Body, attr)
			switch {
			case empty != nil:
				out = append(out, At(r, empty, fmt.Sprintf(emptyMsg, label(r))))
			case missing:
				out = append(out, Missing(r, fmt.Sprintf(missingMsg, label(r))))
			}
		}
		return out
	}
}

// encryptionBlock builds a check for a server_side_encryption { enabled }
// block that is off unless present and enabled.
func encryptionBlock(typ string) func(*model.State) []Result {
	return func(s *model.State) []Result {
		var out []Result
		for _, r := range s.OfType(typ) {
			b := r.Body.Block("server_side_encryption")
			if b == nil {
				out = append(out, Missing(r, fmt.Sprintf("%s has no server_side_encryption block", label(r))))
				continue
			}
			off, missing := unsetOrFalse(b, "enabled")
			switch {
			case off != nil:
				out = append(out, At(r, off, fmt.Sprintf("%s sets server_side_encryption enabled = false", label(r))))
			case missing:
				out = append(out, AtBlock(r, b, fmt.Sprintf("%s has a server_side_encryption block without enabled = true", label(r))))
			}
		}
		return out
	}
}

func checkSQSEncryption(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_sqs_queue") {
		a := r.Attr("sqs_managed_sse_enabled")
		if !boolIs(a, false) {
			continue
		}
		if _, missing := unsetOrEmpty(r.Body, "kms_master_key_id"); !missing {
			if v, ok := r.Attr("kms_master_key_id").String(); !ok || strings.TrimSpace(v) != "" {
				continue // a KMS key, or one we cannot see
			}
		}
		out = append(out, At(r, a, fmt.Sprintf("%s sets sqs_managed_sse_enabled = false without a kms_master_key_id", label(r))))
	}
	return out
}
