package rules

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/secrets"
)

var launchTypes = []string{"aws_instance", "aws_launch_template", "aws_launch_configuration"}

const (
	refIMDS          = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html"
	refUserData      = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html"
	refEBSEncryption = "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html"
	refEBSDefault    = "https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html"
	refECRControls   = "https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html"
	refImmutable     = "https://docs.aws.amazon.com/wellarchitected/latest/framework/rel_tracking_change_management_immutable_infrastructure.html"
	refSecrets       = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html"
	refSessionMgr    = "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html"
	refLifecycle     = "https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle"
	refInstanceRefr  = "https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-instance-refresh.html"
)

func awsComputeRules() []*Rule {
	return []*Rule{
		{
			ID:       "FX-AWS-012",
			Severity: finding.High,
			Title:    "Instance metadata service v2 (IMDSv2) is not required",
			Why: "With IMDSv1 any request forgery or open proxy on the server can read the instance role's " +
				"credentials from 169.254.169.254. Every replacement of an immutable server starts from the same launch " +
				"settings, so a weak setting there is copied to the whole fleet for its whole life.",
			Remediation: "Require session tokens:\n  metadata_options {\n    http_endpoint               = \"enabled\"\n" +
				"    http_tokens                 = \"required\"\n    http_put_response_hop_limit = 1\n  }\n" +
				"or set http_tokens = \"required\" account-wide with aws_ec2_instance_metadata_defaults.",
			References: []string{
				refIMDS,
				"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
				refEC2Controls,
			},
			ResourceTypes: launchTypes,
			Check:         checkIMDSv2,
		},
		{
			ID:       "FX-AWS-013",
			Severity: finding.Medium,
			Title:    "Instance, launch template or launch configuration gets a public IP address",
			Why: "A public address makes each server directly reachable from the internet, so its exposure rests on " +
				"its security groups alone. Immutable fleets sit in private subnets behind load balancers, which are " +
				"replaced and patched by AWS.",
			Remediation: "Set associate_public_ip_address = false (in network_interfaces for a launch template), launch " +
				"into private subnets and publish through a load balancer.",
			References: []string{
				"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html",
				refEC2Controls,
			},
			ResourceTypes: launchTypes,
			Check:         checkPublicIP,
		},
		{
			ID:       "FX-AWS-014",
			Severity: finding.Medium,
			Title:    "SSH key pair on an instance, launch template or launch configuration",
			Why: "Nobody should log in to an immutable server: changes are baked into a new image and rolled out by " +
				"replacement. A key pair is a standing, rarely rotated credential that allows exactly the manual, " +
				"untracked change that makes servers drift from their image.",
			Remediation: "Remove key_name. For emergencies use AWS Systems Manager Session Manager, which needs no key " +
				"and no open port and logs every session.",
			References: []string{
				"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-key-pairs.html",
				refSessionMgr,
			},
			ResourceTypes: launchTypes,
			Check:         checkKeyPair,
		},
		{
			ID:       "FX-AWS-015",
			Severity: finding.Critical,
			Title:    "Secrets in user data",
			Why: "User data is readable by anyone who can describe the instance or launch template and by every " +
				"process on the server through the metadata service, and it is copied into the Terraform state. A " +
				"secret baked into the launch settings of an immutable fleet lives on in every replacement and every " +
				"old template version.",
			Remediation: "Fetch secrets at boot from AWS Secrets Manager or SSM Parameter Store (SecureString) with " +
				"the instance role, e.g.\n  DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id prod/db " +
				"--query SecretString --output text)\nand rotate the exposed secret.",
			References: []string{
				refUserData,
				refSecrets,
				"https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html",
			},
			ResourceTypes: launchTypes,
			Check:         checkUserDataSecrets,
		},
		{
			ID:       "FX-AWS-016",
			Severity: finding.High,
			Title:    "Secrets in Lambda environment variables",
			Why: "Environment variables are shown to anyone allowed lambda:GetFunctionConfiguration, stored in the " +
				"Terraform state and copied into every published version, which cannot be changed afterwards.",
			Remediation: "Store the secret in AWS Secrets Manager and pass only its name or ARN:\n" +
				"  environment {\n    variables = {\n      DB_SECRET_ARN = aws_secretsmanager_secret.db.arn\n    }\n  }\n" +
				"then read it at run time (for example with the Parameters and Secrets Lambda extension).",
			References: []string{
				"https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
				"https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
			},
			ResourceTypes: []string{"aws_lambda_function"},
			Check:         checkLambdaEnvSecrets,
		},
		{
			ID:       "FX-AWS-017",
			Severity: finding.High,
			Title:    "Secret stored as a plain-text SSM parameter",
			Why: "String and StringList parameters are not encrypted and are readable by anyone allowed " +
				"ssm:GetParameter, without a KMS key policy in the way. Secrets fetched at boot by immutable servers " +
				"belong in SecureString parameters.",
			Remediation: "Use type = \"SecureString\" (optionally with key_id = aws_kms_key.params.arn), and keep the " +
				"value out of the configuration, e.g. from a random_password resource.",
			References: []string{
				"https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-parameter-store.html",
				"https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html",
			},
			ResourceTypes: []string{"aws_ssm_parameter"},
			Check:         checkPlainSSMSecret,
		},
		{
			ID:       "FX-AWS-018",
			Severity: finding.Medium,
			Title:    "User data installs a configuration-management agent",
			Why: "Puppet, Chef, Salt or ansible-pull keep changing a server after boot, so what runs is no longer " +
				"what was tested in the image; servers started at different times differ, and a rollback no longer " +
				"restores the old state. Immutable infrastructure bakes configuration into the image and replaces.",
			Remediation: "Run the configuration tool while baking the image (EC2 Image Builder, Packer) and keep user " +
				"data to instance-specific wiring; ship changes as a new image and an instance refresh.",
			References: []string{
				refImmutable,
				"https://docs.aws.amazon.com/imagebuilder/latest/userguide/what-is-image-builder.html",
				refUserData,
			},
			ResourceTypes: launchTypes,
			Check:         checkConfigAgents,
		},
		{
			ID:       "FX-AWS-019",
			Severity: finding.Medium,
			Title:    "Autoscaling group without a maximum instance lifetime",
			Why: "Servers that live forever drift and miss the patches baked into newer images. A maximum instance " +
				"lifetime makes the group replace every instance regularly, which also proves that replacement works.",
			Remediation: "Set max_instance_lifetime, e.g. max_instance_lifetime = 604800 (7 days; the minimum is 86400).",
			References: []string{
				"https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-max-instance-lifetime.html",
				refInstanceRefr,
			},
			ResourceTypes: []string{"aws_autoscaling_group"},
			Check:         checkASGLifetime,
		},
		{
			ID:       "FX-AWS-020",
			Severity: finding.Low,
			Title:    "Standalone EC2 instance outside any autoscaling group",
			Why: "A hand-placed instance is a snowflake: nothing replaces it when it fails or when a new image ships, " +
				"so it tends to be patched in place and to live forever. An autoscaling group, even of size one, " +
				"makes replacement the normal way of change.",
			Remediation: "Move the instance into an aws_autoscaling_group with a launch template " +
				"(min_size = max_size = 1 for a singleton) and roll new images out with instance_refresh.",
			References: []string{
				"https://docs.aws.amazon.com/autoscaling/ec2/userguide/what-is-amazon-ec2-auto-scaling.html",
				refInstanceRefr,
				refImmutable,
			},
			ResourceTypes: []string{"aws_instance"},
			Check: func(s *model.State) []Result {
				var rs resultSet
				for _, res := range s.OfType("aws_instance") {
					rs.add(Missing(res, label(res)+" is a standalone instance that no autoscaling group replaces"))
				}
				return rs.list
			},
		},
		{
			ID:       "FX-AWS-021",
			Severity: finding.High,
			Title:    "EBS volume is not encrypted",
			Why: "Unencrypted volumes and their snapshots can be read by anyone who can copy or share them. Immutable " +
				"fleets create and discard volumes constantly, which multiplies the snapshots and images carrying the data.",
			Remediation: "Set encrypted = true (optionally kms_key_id = aws_kms_key.ebs.arn), or enable " +
				"aws_ebs_encryption_by_default in every region.",
			References:    []string{refEBSEncryption, refEBSDefault, refEC2Controls},
			ResourceTypes: []string{"aws_ebs_volume"},
			Check:         checkEBSVolume,
		},
		{
			ID:       "FX-AWS-022",
			Severity: finding.High,
			Title:    "Instance, launch template or launch configuration block device is not encrypted",
			Why: "Root and data volumes of every server launched from these settings, and the images baked from " +
				"them, hold the data unencrypted. Not needed when EBS encryption by default is enabled.",
			Remediation: "Encrypt every device:\n  root_block_device {\n    encrypted = true\n  }\n" +
				"(block_device_mappings { ebs { encrypted = \"true\" } } in a launch template), or add\n" +
				"  resource \"aws_ebs_encryption_by_default\" \"this\" {\n    enabled = true\n  }",
			References:    []string{refEBSEncryption, refEBSDefault, refEC2Controls},
			ResourceTypes: launchTypes,
			Check:         checkBlockDevices,
		},
		{
			ID:       "FX-AWS-023",
			Severity: finding.High,
			Title:    "ECR repository allows mutable image tags",
			Why: "With mutable tags, pushing an image can silently replace what a tag such as v1.4.2 means, so two " +
				"servers started from the same tag may run different code and a rollback may not roll back. Immutable " +
				"infrastructure needs each tag to name one image forever. The provider default is MUTABLE.",
			Remediation: "Set image_tag_mutability = \"IMMUTABLE\" and deploy by digest.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
				refECRControls,
			},
			ResourceTypes: []string{"aws_ecr_repository"},
			Check:         checkECRMutability,
		},
		{
			ID:       "FX-AWS-024",
			Severity: finding.Medium,
			Title:    "ECR repository does not scan images on push",
			Why: "An image is the whole of an immutable server; scanning it when it is pushed finds known " +
				"vulnerabilities before the image is rolled out, while rebuilding is still cheap.",
			Remediation: "Add\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n" +
				"or configure registry-wide scanning with aws_ecr_registry_scanning_configuration.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
				refECRControls,
			},
			ResourceTypes: []string{"aws_ecr_repository"},
			Check:         checkECRScanOnPush,
		},
		{
			ID:       "FX-AWS-025",
			Severity: finding.Medium,
			Title:    "lifecycle ignore_changes hides image or user-data drift",
			Why: "Ignoring changes to the AMI, user data or launch template means a new image never reaches the " +
				"servers: the plan shows nothing while the fleet keeps running the old, unpatched image. Immutable " +
				"infrastructure depends on a changed image forcing a replacement.",
			Remediation: "Remove ami, user_data, user_data_base64, image_id, launch_template (and all) from " +
				"ignore_changes; roll changes out with create_before_destroy or an autoscaling instance_refresh.",
			References:    []string{refLifecycle, refInstanceRefr},
			ResourceTypes: []string{"aws_instance", "aws_launch_template", "aws_autoscaling_group"},
			Check:         checkIgnoreImageDrift,
		},
		{
			ID:       "FX-AWS-026",
			Severity: finding.Medium,
			Title:    "EBS encryption by default is disabled",
			Why: "Encryption by default is the safety net that encrypts every new volume and snapshot copy in the " +
				"region, including those created by image builds and replacements that forget to ask for it.",
			Remediation:   "Set enabled = true on aws_ebs_encryption_by_default (or remove the resource's enabled = false).",
			References:    []string{refEBSDefault, refEC2Controls},
			ResourceTypes: []string{"aws_ebs_encryption_by_default"},
			Check: func(s *model.State) []Result {
				var rs resultSet
				for _, res := range s.OfType("aws_ebs_encryption_by_default") {
					a := res.Attr("enabled")
					if v, ok := a.Bool(); ok && !v {
						rs.add(At(res, a, label(res)+" sets enabled = false"))
					}
				}
				return rs.list
			},
		},
	}
}

// unset reports whether an attribute is absent or known to be null.
func unset(a *model.Attribute) bool {
	return a == nil || (a.Value.IsKnown() && a.Value.IsNull())
}

// usesLaunchTemplate reports whether an instance takes its settings from a
// launch template, which the rules check on their own.
func usesLaunchTemplate(res *model.Resource) bool {
	return res.Type == "aws_instance" && res.Body.Block("launch_template") != nil
}

// imdsRequiredByDefault reports whether the configuration makes IMDSv2 the
// account default for new instances.
func imdsRequiredByDefault(s *model.State, root string) bool {
	for _, d := range s.InRoot(root, "aws_ec2_instance_metadata_defaults") {
		if v, ok := d.Attr("http_tokens").String(); ok && v == "required" {
			return true
		}
	}
	return false
}

func checkIMDSv2(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType(launchTypes...) {
		inherits := imdsRequiredByDefault(s, res.Root) || usesLaunchTemplate(res)
		mo := res.Body.Block("metadata_options")
		if mo == nil {
			if !inherits {
				rs.add(Missing(res, label(res)+" has no metadata_options, so IMDSv1 stays enabled (http_tokens defaults to \"optional\")"))
			}
			continue
		}
		if ep, ok := mo.Attr("http_endpoint").String(); ok && ep == "disabled" {
			continue // no metadata service at all
		}
		a := mo.Attr("http_tokens")
		if unset(a) {
			if !inherits {
				rs.add(AtBlock(res, mo, label(res)+" metadata_options does not set http_tokens, which defaults to \"optional\" (IMDSv1)"))
			}
			continue
		}
		if v, ok := a.String(); ok && v != "required" {
			rs.add(At(res, a, label(res)+" sets http_tokens = "+quoted(v)+", which allows IMDSv1"))
		}
	}
	return rs.list
}

func checkPublicIP(s *model.State) []Result {
	var rs resultSet
	flag := func(res *model.Resource, a *model.Attribute, where string) {
		if v, ok := a.Bool(); ok && v {
			rs.add(At(res, a, label(res)+where+" sets associate_public_ip_address = true"))
		}
	}
	for _, res := range s.OfType("aws_instance", "aws_launch_configuration") {
		flag(res, res.Attr("associate_public_ip_address"), "")
	}
	for _, res := range s.OfType("aws_launch_template") {
		for _, ni := range res.Body.BlocksOf("network_interfaces") {
			flag(res, ni.Attr("associate_public_ip_address"), " network_interfaces")
		}
	}
	return rs.list
}

func checkKeyPair(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType(launchTypes...) {
		a := res.Attr("key_name")
		if unset(a) {
			continue
		}
		if v, ok := a.String(); ok {
			if v != "" {
				rs.add(At(res, a, label(res)+" sets key_name = "+quoted(v)+", an SSH key pair for logging in"))
			}
			continue
		}
		// The name is known only after apply, but it comes from a key pair
		// managed here: a key is attached whatever its name.
		if kp := refTargets(s, a, "aws_key_pair"); len(kp) > 0 {
			rs.add(At(res, a, label(res)+" sets key_name from "+kp[0].Address()+", an SSH key pair for logging in"))
			continue
		}
		// Unknown, but known not to be empty (a CloudFormation KeyPair
		// parameter must name an existing key pair).
		if !a.Value.IsKnown() && !a.Value.Range().CouldBeNull() {
			rs.add(At(res, a, label(res)+" sets key_name to a key pair chosen at deploy time, an SSH key pair for logging in"))
		}
	}
	return rs.list
}

func describeSecrets(ms []secrets.Match) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.Describe()
	}
	return joinAnd(parts)
}

func checkUserDataSecrets(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType(launchTypes...) {
		for _, ud := range userDataOf(res) {
			if ms := secrets.Find(ud.text); len(ms) > 0 {
				rs.add(At(res, ud.attr, label(res)+" "+ud.attr.Name+" holds a secret: "+describeSecrets(ms)))
			}
		}
	}
	return rs.list
}

func checkLambdaEnvSecrets(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_lambda_function") {
		for _, env := range res.Body.BlocksOf("environment") {
			a := env.Attr("variables")
			if a == nil || !a.Value.IsKnown() || a.Value.IsNull() {
				continue
			}
			ty := a.Value.Type()
			if !ty.IsMapType() && !ty.IsObjectType() {
				continue
			}
			var hits []string
			var first string // the variable of hits[0]
			for it := a.Value.ElementIterator(); it.Next(); {
				k, v := it.Element()
				name := k.AsString()
				val, ok := model.AsString(v)
				if !ok {
					continue
				}
				if ms := secrets.Find(val); len(ms) > 0 {
					hits = append(hits, name+" ("+ms[0].Kind+")")
				} else if secrets.IsSecretName(name) && secrets.IsLiteral(val) {
					hits = append(hits, name)
				} else {
					continue
				}
				if len(hits) == 1 {
					first = name
				}
			}
			switch len(hits) {
			case 0:
			case 1:
				// One variable: point at its line when the map is written
				// out, not at the whole map.
				rs.add(Result{Resource: res, Range: a.KeyRange(first),
					Message: label(res) + " environment variable " + hits[0] + " holds a literal secret"})
			default:
				rs.add(At(res, a, label(res)+" environment variables "+joinAnd(hits)+" hold literal secrets"))
			}
		}
	}
	return rs.list
}

func checkPlainSSMSecret(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_ssm_parameter") {
		ta := res.Attr("type")
		typ, ok := ta.String()
		if !ok || !(strings.EqualFold(typ, "String") || strings.EqualFold(typ, "StringList")) {
			continue
		}
		var why string
		if name, ok := res.Attr("name").String(); ok && secrets.IsSecretName(path.Base(name)) {
			why = "its name " + quoted(name) + " says it holds a secret"
		}
		for _, attr := range []string{"value", "insecure_value"} {
			if why != "" {
				break
			}
			if v, _, ok := attrText(res.Attr(attr)); ok {
				if ms := secrets.Find(v); len(ms) > 0 {
					why = "its " + attr + " holds a " + ms[0].Kind
				}
			}
		}
		if why != "" {
			rs.add(At(res, ta, label(res)+" is a plain-text "+typ+" parameter, but "+why))
		}
	}
	return rs.list
}

func checkConfigAgents(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType(launchTypes...) {
		for _, ud := range userDataOf(res) {
			if agents, line := configAgents(ud.text); len(agents) > 0 {
				rs.add(At(res, ud.attr, label(res)+" "+ud.attr.Name+" runs "+joinAnd(agents)+
					" (from line "+strconv.Itoa(line)+"), which changes the server after boot"))
			}
		}
	}
	return rs.list
}

func checkASGLifetime(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_autoscaling_group") {
		a := res.Attr("max_instance_lifetime")
		if unset(a) {
			rs.add(Missing(res, label(res)+" has no max_instance_lifetime, so its instances may live forever"))
			continue
		}
		if v, ok := a.Int(); ok && v == 0 {
			rs.add(At(res, a, label(res)+" sets max_instance_lifetime = 0, which never replaces instances"))
		}
	}
	return rs.list
}

// ebsEncryptedByDefault reports whether the configuration turns on EBS
// encryption by default, which encrypts volumes whatever they ask for.
func ebsEncryptedByDefault(s *model.State, root string) bool {
	for _, d := range s.InRoot(root, "aws_ebs_encryption_by_default") {
		a := d.Attr("enabled")
		if unset(a) {
			return true // enabled defaults to true
		}
		if v, ok := a.Bool(); ok && v {
			return true
		}
	}
	return false
}

func checkEBSVolume(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_ebs_volume") {
		if ebsEncryptedByDefault(s, res.Root) {
			continue
		}
		a := res.Attr("encrypted")
		if unset(a) {
			if unset(res.Attr("snapshot_id")) {
				rs.add(Missing(res, label(res)+" does not set encrypted = true"))
			}
			continue
		}
		if v, ok := a.Bool(); ok && !v {
			rs.add(At(res, a, label(res)+" sets encrypted = false"))
		}
	}
	return rs.list
}

func checkBlockDevices(s *model.State) []Result {
	var rs resultSet
	// device checks one EBS device body; what names it in messages.
	device := func(res *model.Resource, b *model.Block, what string) {
		a := b.Attr("encrypted")
		if unset(a) {
			if unset(b.Attr("snapshot_id")) {
				rs.add(AtBlock(res, b, label(res)+" "+what+" does not set encrypted = true"))
			}
			return
		}
		if v, ok := a.Bool(); ok && !v {
			rs.add(At(res, a, label(res)+" "+what+" sets encrypted = false"))
		}
	}
	for _, res := range s.OfType("aws_instance", "aws_launch_configuration") {
		if usesLaunchTemplate(res) || ebsEncryptedByDefault(s, res.Root) {
			continue
		}
		roots := res.Body.BlocksOf("root_block_device")
		if len(roots) == 0 {
			rs.add(Missing(res, label(res)+" has no root_block_device with encrypted = true"))
		}
		for _, b := range roots {
			device(res, b, "root_block_device")
		}
		for _, b := range res.Body.BlocksOf("ebs_block_device") {
			what := "ebs_block_device"
			if d, ok := b.Attr("device_name").String(); ok {
				what += " " + quoted(d)
			}
			device(res, b, what)
		}
	}
	for _, res := range s.OfType("aws_launch_template") {
		if ebsEncryptedByDefault(s, res.Root) {
			continue
		}
		maps := res.Body.BlocksOf("block_device_mappings")
		if len(maps) == 0 {
			rs.add(Missing(res, label(res)+" has no block_device_mappings with an encrypted ebs volume"))
		}
		for _, m := range maps {
			for _, e := range m.BlocksOf("ebs") {
				what := "block_device_mappings"
				if d, ok := m.Attr("device_name").String(); ok {
					what += " " + quoted(d)
				}
				device(res, e, what)
			}
		}
	}
	return rs.list
}

func checkECRMutability(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_ecr_repository") {
		a := res.Attr("image_tag_mutability")
		if unset(a) {
			rs.add(Missing(res, label(res)+" does not set image_tag_mutability, which defaults to \"MUTABLE\""))
			continue
		}
		if v, ok := a.String(); ok && strings.HasPrefix(strings.ToUpper(v), "MUTABLE") {
			rs.add(At(res, a, label(res)+" sets image_tag_mutability = "+quoted(v)))
		}
	}
	return rs.list
}

// registryScansOnPush reports whether a registry scanning configuration in
// the state scans repository name on push (or continuously, which includes
// on push). ok is false when that cannot be told.
func registryScansOnPush(s *model.State, root, name string, nameKnown bool) bool {
	for _, cfg := range s.InRoot(root, "aws_ecr_registry_scanning_configuration") {
		for _, rule := range cfg.Body.BlocksOf("rule") {
			freq, ok := rule.Attr("scan_frequency").String()
			if !ok || (freq != "SCAN_ON_PUSH" && freq != "CONTINUOUS_SCAN") {
				continue
			}
			for _, f := range rule.BlocksOf("repository_filter") {
				pat, ok := f.Attr("filter").String()
				if !ok {
					continue
				}
				if pat == "*" {
					return true
				}
				if nameKnown && ecrFilterMatch(pat, name) {
					return true
				}
			}
		}
	}
	return false
}

// ecrFilterMatch matches ECR repository filters, where * is any run of
// characters.
func ecrFilterMatch(pat, s string) bool {
	parts := strings.Split(pat, "*")
	if len(parts) == 1 {
		return pat == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

func checkECRScanOnPush(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_ecr_repository") {
		name, nameKnown := res.Attr("name").String()
		if registryScansOnPush(s, res.Root, name, nameKnown) {
			continue
		}
		cfg := res.Body.Block("image_scanning_configuration")
		if cfg == nil {
			rs.add(Missing(res, label(res)+" has no image_scanning_configuration with scan_on_push = true"))
			continue
		}
		a := cfg.Attr("scan_on_push")
		if unset(a) {
			rs.add(AtBlock(res, cfg, label(res)+" image_scanning_configuration does not set scan_on_push = true"))
			continue
		}
		if v, ok := a.Bool(); ok && !v {
			rs.add(At(res, a, label(res)+" sets scan_on_push = false"))
		}
	}
	return rs.list
}

// driftAttrs are, per resource type, the attributes whose changes carry a
// new image or new boot configuration.
var driftAttrs = map[string][]string{
	"aws_instance":          {"ami", "user_data", "user_data_base64", "launch_template"},
	"aws_launch_template":   {"image_id", "user_data"},
	"aws_autoscaling_group": {"launch_template", "launch_configuration", "mixed_instances_policy"},
}

func checkIgnoreImageDrift(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_instance", "aws_launch_template", "aws_autoscaling_group") {
		for _, lc := range res.Body.BlocksOf("lifecycle") {
			a := lc.Attr("ignore_changes")
			entries, ok := a.Strings()
			if !ok {
				continue
			}
			var hidden []string
			for _, e := range entries {
				root := e
				if i := strings.IndexAny(root, ".["); i >= 0 {
					root = root[:i]
				}
				if root == "all" {
					hidden = []string{"all"}
					break
				}
				for _, d := range driftAttrs[res.Type] {
					if root == d && !slices.Contains(hidden, e) {
						hidden = append(hidden, e)
					}
				}
			}
			switch {
			case len(hidden) == 1 && hidden[0] == "all":
				rs.add(At(res, a, label(res)+" lifecycle ignore_changes = all hides every change, the image included"))
			case len(hidden) > 0:
				rs.add(At(res, a, label(res)+" lifecycle ignore_changes hides changes to "+joinAnd(hidden)))
			}
		}
	}
	return rs.list
}
