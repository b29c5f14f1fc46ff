package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// IAM rules. In an immutable setup nobody changes a running server; every
// change goes through the deploy pipeline, so the pipeline's role is the
// path to production. Whoever holds a wildcard grant, or can pass or assume
// a powerful role, can ship anything to every server.

const (
	refIAMBestPractices = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"
	refIAMControls      = "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html"
	refIAMPolicyGrammar = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html"
)

// identityPolicyResourceTypes are the types FX-AWS-060..062 read.
var identityPolicyResourceTypes = append(append([]string{}, identityPolicyTypes...), "aws_iam_role", "aws_iam_policy_document")

func awsIAMRules() []*Rule {
	return []*Rule{
		{
			ID:       "FX-AWS-060",
			Severity: finding.Critical,
			Title:    "IAM policy allows all actions on all resources",
			Why: "Action \"*\" on Resource \"*\" is full administrator access. Attached to a deploy pipeline role it " +
				"means one compromised build step can do anything in the account: replace the images every server " +
				"boots from, disable logging, delete backups. Immutable infrastructure is only as trustworthy as the " +
				"role that deploys it.",
			Remediation: "List the actions the principal needs on the resources it needs, e.g. " +
				"`Action = [\"ecr:PutImage\", \"ecr:UploadLayerPart\"]` with `Resource = aws_ecr_repository.app.arn`. " +
				"IAM Access Analyzer can generate a policy from CloudTrail activity.",
			References: []string{
				refIAMBestPractices + "#grant-least-privilege",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html",
				refIAMControls, refCISAWS,
			},
			ResourceTypes: identityPolicyResourceTypes,
			Check:         checkAdminPolicy,
		},
		{
			ID:       "FX-AWS-061",
			Severity: finding.High,
			Title:    "IAM policy allows iam:PassRole on any resource",
			Why: "iam:PassRole on \"*\" lets the holder hand any role in the account to a service it controls: launch " +
				"an instance, Lambda function or pipeline with an administrator role and act as that role. It turns a " +
				"narrow deploy role into an administrator.",
			Remediation: "Scope iam:PassRole to the role ARNs the principal must pass, and add an iam:PassedToService " +
				"condition, e.g. `Resource = aws_iam_role.app.arn` with " +
				"`Condition = { StringEquals = { \"iam:PassedToService\" = \"ec2.amazonaws.com\" } }`.",
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
				refIAMBestPractices + "#grant-least-privilege",
			},
			ResourceTypes: identityPolicyResourceTypes,
			Check:         checkPassRole,
		},
		{
			ID:       "FX-AWS-062",
			Severity: finding.Medium,
			Title:    "IAM policy grants every action of a service",
			Why: "A service wildcard such as \"s3:*\" or \"iam:*\" grants every current and future action of the " +
				"service, including deletes, policy changes and encryption settings. A deploy role with \"s3:*\" can " +
				"rewrite the artifacts and the bucket policy that protects them.",
			Remediation: "Replace the service wildcard with the actions used, e.g. `[\"s3:GetObject\", \"s3:PutObject\"]`; " +
				"IAM Access Analyzer can generate the list from CloudTrail activity.",
			References: []string{
				refIAMPolicyGrammar,
				refIAMBestPractices + "#grant-least-privilege",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html",
			},
			ResourceTypes: identityPolicyResourceTypes,
			Check:         checkServiceWildcard,
		},
		{
			ID:       "FX-AWS-063",
			Severity: finding.High,
			Title:    "IAM role trust policy lets any principal assume it",
			Why: "A trust policy that allows Principal \"*\" (or NotPrincipal) without a condition lets any AWS " +
				"account assume the role; a GitHub Actions OIDC trust without a condition on the token's \"sub\" lets " +
				"every repository on GitHub assume it. Deploy roles are usually the ones trusted this way, and they " +
				"are the path to production.",
			Remediation: "Name the trusted principal (an account or role ARN, a service principal), or keep it together " +
				"with conditions: for GitHub OIDC, `condition { test = \"StringEquals\"; variable = " +
				"\"token.actions.githubusercontent.com:sub\"; values = [\"repo:org/repo:ref:refs/heads/main\"] }` and an " +
				"aud condition; for cross-account, sts:ExternalId or aws:PrincipalOrgID.",
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html",
				refIAMPrincipal,
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
			},
			ResourceTypes: []string{"aws_iam_role", "aws_iam_policy_document"},
			Check:         checkTrustAnyPrincipal,
		},
		{
			ID:       "FX-AWS-064",
			Severity: finding.Medium,
			Title:    "IAM user with policies attached directly",
			Why: "Permissions attached to individual users drift apart and are forgotten when people change roles. " +
				"Grant permissions to groups or, better, roles that people and pipelines assume with short-lived " +
				"credentials.",
			Remediation: "Attach the policy to an aws_iam_group (aws_iam_group_policy_attachment) and add the user with " +
				"aws_iam_user_group_membership, or move the workload to an assumed role.",
			References: []string{
				refIAMBestPractices,
				refIAMControls,
				refCISAWS,
			},
			ResourceTypes: []string{"aws_iam_user_policy", "aws_iam_user_policy_attachment", "aws_iam_policy_attachment"},
			Check:         checkUserPolicies,
		},
		{
			ID:       "FX-AWS-065",
			Severity: finding.High,
			Title:    "IAM user access key: long-lived credentials",
			Why: "An access key works until someone deletes it, from anywhere, and ends up in CI variables, laptops and " +
				"logs. Deploy pipelines and servers should use roles with short-lived credentials (OIDC federation for " +
				"CI, instance profiles for servers). Terraform also writes the secret key into its state.",
			Remediation: "Remove the aws_iam_access_key. For CI use an OIDC provider (aws_iam_openid_connect_provider) and " +
				"a role the pipeline assumes; for servers use an instance profile; for people use IAM Identity Center.",
			References: []string{
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
				refIAMBestPractices + "#bp-workloads-use-roles",
				"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html",
			},
			ResourceTypes: []string{"aws_iam_access_key"},
			Check:         checkAccessKey,
		},
		{
			ID:       "FX-AWS-066",
			Severity: finding.High,
			Title:    "AdministratorAccess managed policy attached",
			Why: "AdministratorAccess allows every action on every resource. Attached to a deploy role, CI user or " +
				"instance role, whoever controls that identity controls the whole account, including the images and " +
				"pipelines that immutable servers are built from.",
			Remediation: "Attach a policy that lists what the identity needs instead. Keep administrator access to a " +
				"break-glass role that people assume with MFA.",
			References: []string{
				"https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html",
				refIAMBestPractices + "#grant-least-privilege",
				refIAMControls,
			},
			ResourceTypes: []string{
				"aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment",
				"aws_iam_policy_attachment", "aws_iam_role", "aws_iam_role_policy_attachments_exclusive",
			},
			Check: checkAdminAttached,
		},
		{
			ID:       "FX-AWS-067",
			Severity: finding.Medium,
			Title:    "KMS key rotation disabled",
			Why: "Automatic rotation gives a symmetric KMS key new key material every year while old data stays " +
				"readable. Without it one key material protects everything for as long as the key lives, so any " +
				"exposure of it never ages out.",
			Remediation: "Set `enable_key_rotation = true` on the aws_kms_key (optionally `rotation_period_in_days`).",
			References: []string{
				"https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
				"https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html",
				refCISAWS,
			},
			ResourceTypes: []string{"aws_kms_key"},
			Check:         checkKMSRotation,
		},
	}
}

func checkAdminPolicy(s *model.State) []Result {
	var f policyFindings
	identityStatements(s, func(owner string, st *statement) {
		if !st.allow() || !st.allResources() {
			return
		}
		if a, ok := st.allActions(); ok {
			f.add(st, owner, a)
		}
	})
	return f.results(func(owner string, vals []string) string {
		return fmt.Sprintf("%s allows %s on %q", owner, quoteAll(vals), "*")
	})
}

// allRoles matches resource patterns that cover every role of an account
// (or of every account).
var allRoles = regexp.MustCompile(`^arn:[^:]*:iam::[^:]*:(\*|role/\*)$`)

func checkPassRole(s *model.State) []Result {
	var f policyFindings
	identityStatements(s, func(owner string, st *statement) {
		if !st.allow() {
			return
		}
		if _, all := st.allActions(); all && st.allResources() {
			return // all actions on all resources: FX-AWS-060 reports it
		}
		granted, ok := st.grants("iam:PassRole")
		if !ok {
			return
		}
		for _, r := range st.Resources.Known {
			if r == "*" || allRoles.MatchString(r) {
				v := fmt.Sprintf("%q", r)
				if granted != "iam:PassRole" {
					v += fmt.Sprintf(" (via %q)", granted)
				}
				f.add(st, owner, v)
				return
			}
		}
	})
	return f.results(func(owner string, vals []string) string {
		return fmt.Sprintf("%s allows iam:PassRole on %s", owner, strings.Join(vals, ", "))
	})
}

// serviceWildcard matches "s3:*": every action of one service.
var serviceWildcard = regexp.MustCompile(`^[A-Za-z0-9-]+:\*$`)

func checkServiceWildcard(s *model.State) []Result {
	var f policyFindings
	identityStatements(s, func(owner string, st *statement) {
		if !st.allow() {
			return
		}
		for _, a := range st.Actions.Known {
			if serviceWildcard.MatchString(a) {
				f.add(st, owner, a)
			}
		}
	})
	return f.results(func(owner string, vals []string) string {
		return fmt.Sprintf("%s grants every action of a service: %s", owner, quoteAll(vals))
	})
}

// assumeActions are the actions a trust policy grants.
var assumeActions = []string{"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"}

// openTrust tells whether a trust statement lets anyone assume the role and
// returns the written principal that does.
func openTrust(st *statement) (string, bool) {
	if !st.allow() {
		return "", false
	}
	if who, open := st.anyPrincipal(); open {
		if has, known := st.hasCondition(); !has && known {
			if who == "*" {
				return `Principal "*"`, true
			}
			return who, true
		}
		return "", false
	}
	// GitHub Actions OIDC: without a condition on the token's subject, any
	// workflow in any repository on GitHub can assume the role.
	for _, id := range st.Principals.ByType["Federated"] {
		if !strings.Contains(id, "token.actions.githubusercontent.com") {
			continue
		}
		if !st.ConditionsComplete {
			return "", false
		}
		for _, c := range st.Conditions {
			if strings.HasSuffix(c.Key, ":sub") && !inStrings(c.Values, "*") {
				return "", false
			}
		}
		return fmt.Sprintf("federated %q with no condition on the token's sub", id), true
	}
	return "", false
}

func checkTrustAnyPrincipal(s *model.State) []Result {
	var f policyFindings
	for _, r := range s.OfType("aws_iam_role") {
		for _, p := range readPolicies(s, r, r.Attr("assume_role_policy")) {
			for _, st := range p.Statements {
				if who, open := openTrust(st); open {
					owner := label(r) + " trust policy"
					if st.Doc {
						owner = fmt.Sprintf("%s (trust policy of %s)", docOwner(st), label(r))
					}
					f.add(st, owner, who)
				}
			}
		}
	}
	// Documents are also read on their own, so a trust document passed
	// through a module variable is still seen; only statements granting
	// sts:AssumeRole* are trust statements.
	for _, doc := range s.DataOfType("aws_iam_policy_document") {
		for _, st := range readDocument(doc).Statements {
			if !grantsAny(st, assumeActions) {
				continue
			}
			if who, open := openTrust(st); open {
				f.add(st, docOwner(st), who)
			}
		}
	}
	return f.results(func(owner string, vals []string) string {
		return fmt.Sprintf("%s lets any principal assume the role (%s)", owner, strings.Join(vals, "; "))
	})
}

func grantsAny(st *statement, actions []string) bool {
	for _, a := range actions {
		if _, ok := st.grants(a); ok {
			return true
		}
	}
	return false
}

func checkUserPolicies(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_iam_user_policy", "aws_iam_user_policy_attachment") {
		a := r.Attr("user")
		if a == nil {
			out = append(out, Missing(r, fmt.Sprintf("%s attaches a policy directly to a user", label(r))))
			continue
		}
		user, ok := a.String()
		if !ok {
			user = "a user"
		} else {
			user = fmt.Sprintf("user %q", user)
		}
		out = append(out, At(r, a, fmt.Sprintf("%s attaches a policy directly to %s", label(r), user)))
	}
	for _, r := range s.OfType("aws_iam_policy_attachment") {
		a := r.Attr("users")
		users, _ := a.Strings()
		if len(users) > 0 {
			out = append(out, At(r, a, fmt.Sprintf("%s attaches a policy directly to users %s", label(r), quoteAll(users))))
		}
	}
	return out
}

func checkAccessKey(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_iam_access_key") {
		if st, ok := r.Attr("status").String(); ok && st == "Inactive" {
			continue
		}
		user := "a user"
		if u, ok := r.Attr("user").String(); ok {
			user = fmt.Sprintf("user %q", u)
		}
		// The resource itself is the problem, so the finding points at it.
		out = append(out, Missing(r, fmt.Sprintf("%s creates a long-lived access key for %s", label(r), user)))
	}
	return out
}

// adminPolicyARN matches the AWS managed AdministratorAccess policy in any
// partition (aws, aws-cn, aws-us-gov).
var adminPolicyARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess$`)

// adminLookup reports whether ref names a data "aws_iam_policy" that looks
// up AdministratorAccess by name or ARN: its arn is unknown until plan, but
// the lookup is not.
func adminLookup(s *model.State, ref string) bool {
	found := false
	for _, d := range s.DataOfType("aws_iam_policy") {
		if d.BaseAddress() != ref {
			continue
		}
		name, okName := d.Attr("name").String()
		arn, okARN := d.Attr("arn").String()
		if !(okName && name == "AdministratorAccess") && !(okARN && adminPolicyARN.MatchString(arn)) {
			return false
		}
		found = true
	}
	return found
}

// refsAdmin reports whether an unknown attribute gets AdministratorAccess
// from a lookup. A single ARN must come from such lookups alone, or it is a
// guess; a list holds it when any of its references is one.
func refsAdmin(s *model.State, a *model.Attribute, list bool) bool {
	if len(a.Refs) == 0 {
		return false
	}
	for _, ref := range a.Refs {
		hit := adminLookup(s, ref)
		if list && hit {
			return true
		}
		if !list && !hit {
			return false
		}
	}
	return !list
}

func checkAdminAttached(s *model.State) []Result {
	var out []Result
	msg := func(r *model.Resource) string {
		return fmt.Sprintf("%s attaches the AdministratorAccess managed policy", label(r))
	}
	for _, r := range s.OfType("aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment",
		"aws_iam_group_policy_attachment", "aws_iam_policy_attachment") {
		a := r.Attr("policy_arn")
		if a == nil {
			continue
		}
		v, ok := a.String()
		if (ok && adminPolicyARN.MatchString(v)) || (!a.Value.IsWhollyKnown() && refsAdmin(s, a, false)) {
			out = append(out, At(r, a, msg(r)))
		}
	}
	for _, r := range s.OfType("aws_iam_role", "aws_iam_role_policy_attachments_exclusive") {
		name := "managed_policy_arns"
		if r.Type == "aws_iam_role_policy_attachments_exclusive" {
			name = "policy_arns"
		}
		a := r.Attr(name)
		if a == nil {
			continue
		}
		arns, _ := a.Strings()
		hit := false
		for _, v := range arns {
			hit = hit || adminPolicyARN.MatchString(v)
		}
		if !hit && !a.Value.IsWhollyKnown() {
			// an element from a data "aws_iam_policy" lookup
			hit = refsAdmin(s, a, true)
		}
		if hit {
			out = append(out, At(r, a, msg(r)))
		}
	}
	return out
}

func checkKMSRotation(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_kms_key") {
		// Rotation exists only for symmetric encryption keys.
		if spec := r.Attr("customer_master_key_spec"); spec != nil {
			if v, ok := spec.String(); !ok || v != "SYMMETRIC_DEFAULT" {
				continue
			}
		}
		if usage := r.Attr("key_usage"); usage != nil {
			if v, ok := usage.String(); !ok || v != "ENCRYPT_DECRYPT" {
				continue
			}
		}
		off, missing := unsetOrFalse(r.Body, "enable_key_rotation")
		switch {
		case off != nil:
			out = append(out, At(r, off, fmt.Sprintf("%s sets enable_key_rotation = false", label(r))))
		case missing:
			out = append(out, Missing(r, fmt.Sprintf("%s does not set enable_key_rotation (default false)", label(r))))
		}
	}
	return out
}
