package rules

import (
	"fmt"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// Logging rules. Immutable servers are replaced, not inspected: when one is
// gone, the account's audit trail, the network's flow logs and the control
// plane's logs are all that is left to tell what happened.

const (
	refCloudTrailControls = "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html"
	refCloudTrailResource = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail"
)

func awsLoggingRules() []*Rule {
	return []*Rule{
		{
			ID:       "FX-AWS-070",
			Severity: finding.High,
			Title:    "CloudTrail logging disabled",
			Why: "A trail with enable_logging = false records nothing: changes to IAM, to the images servers launch " +
				"from and to the deploy pipeline itself leave no trace. Turning a trail off is also a classic first " +
				"step of an attacker, so it must never be the declared state.",
			Remediation: "Remove `enable_logging = false` (the default is true) from the aws_cloudtrail.",
			References: []string{
				"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-turning-off-logging.html",
				refCloudTrailControls, refCISAWS,
			},
			ResourceTypes: []string{"aws_cloudtrail"},
			Check: func(s *model.State) []Result {
				var out []Result
				for _, r := range s.OfType("aws_cloudtrail") {
					if a := r.Attr("enable_logging"); boolIs(a, false) {
						out = append(out, At(r, a, fmt.Sprintf("%s sets enable_logging = false", label(r))))
					}
				}
				return out
			},
		},
		{
			ID:       "FX-AWS-071",
			Severity: finding.Medium,
			Title:    "CloudTrail trail is not multi-region",
			Why: "A single-region trail misses activity in every other region, and unused regions are exactly where " +
				"an intruder launches instances or creates keys unnoticed.",
			Remediation: "Set `is_multi_region_trail = true` (and `include_global_service_events = true`) on the aws_cloudtrail.",
			References: []string{
				"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
				refCloudTrailControls, refCISAWS,
			},
			ResourceTypes: []string{"aws_cloudtrail"},
			Check: offByDefault("aws_cloudtrail", "is_multi_region_trail",
				"%s does not set is_multi_region_trail (default false)", "%s sets is_multi_region_trail = false"),
		},
		{
			ID:       "FX-AWS-072",
			Severity: finding.Medium,
			Title:    "CloudTrail log file validation disabled",
			Why: "Log file validation writes signed digests that prove the log files were not changed or deleted after " +
				"delivery. Without it, whoever can write to the log bucket can rewrite history.",
			Remediation: "Set `enable_log_file_validation = true` on the aws_cloudtrail.",
			References: []string{
				"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
				refCloudTrailControls, refCISAWS,
			},
			ResourceTypes: []string{"aws_cloudtrail"},
			Check: offByDefault("aws_cloudtrail", "enable_log_file_validation",
				"%s does not set enable_log_file_validation (default false)", "%s sets enable_log_file_validation = false"),
		},
		{
			ID:       "FX-AWS-073",
			Severity: finding.Medium,
			Title:    "CloudTrail logs not encrypted with a KMS key",
			Why: "With a KMS key, reading the trail also needs kms:Decrypt on a key whose policy you control, so read " +
				"access to the log bucket alone does not expose the account's whole activity history.",
			Remediation: "Set `kms_key_id = aws_kms_key.cloudtrail.arn` on the aws_cloudtrail, with a key policy that " +
				"lets cloudtrail.amazonaws.com encrypt.",
			References: []string{
				"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
				refCloudTrailControls, refCISAWS,
			},
			ResourceTypes: []string{"aws_cloudtrail"},
			Check: keyUnset("aws_cloudtrail", "kms_key_id",
				"%s does not set kms_key_id: logs are not encrypted with a KMS key",
				"%s sets kms_key_id to an empty string: logs are not encrypted with a KMS key"),
		},
		{
			ID:       "FX-AWS-074",
			Severity: finding.Medium,
			Title:    "VPC without flow logs",
			Why: "Flow logs record the traffic of every network interface in the VPC. Servers that are replaced take " +
				"their local logs with them; flow logs are what remains to show which addresses a compromised " +
				"instance talked to.",
			Remediation: "Add `resource \"aws_flow_log\" \"vpc\" { vpc_id = aws_vpc.main.id; traffic_type = \"ALL\"; " +
				"log_destination = aws_cloudwatch_log_group.flow.arn; iam_role_arn = aws_iam_role.flow.arn }`.",
			References: []string{
				"https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
				"https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html",
				refCISAWS,
			},
			ResourceTypes: []string{"aws_vpc", "aws_default_vpc", "aws_flow_log"},
			Check: func(s *model.State) []Result {
				var out []Result
				for _, r := range s.OfType("aws_vpc", "aws_default_vpc") {
					found, unsure := linked(s, r, "aws_flow_log", "vpc_id", "")
					if len(found) > 0 || unsure {
						continue
					}
					out = append(out, Missing(r, fmt.Sprintf("%s has no aws_flow_log", label(r))))
				}
				return out
			},
		},
		{
			ID:       "FX-AWS-075",
			Severity: finding.Low,
			Title:    "CloudWatch log group not encrypted with a KMS key",
			Why: "Log groups collect what servers print before they are replaced, and that often includes tokens, " +
				"customer data and internal addresses. With a KMS key, reading them also needs kms:Decrypt on a key " +
				"whose policy you control.",
			Remediation: "Set `kms_key_id = aws_kms_key.logs.arn` on the aws_cloudwatch_log_group, with a key policy " +
				"that lets logs.<region>.amazonaws.com use the key.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
			},
			ResourceTypes: []string{"aws_cloudwatch_log_group"},
			Check: keyUnset("aws_cloudwatch_log_group", "kms_key_id",
				"%s does not set kms_key_id", "%s sets kms_key_id to an empty string"),
		},
		{
			ID:       "FX-AWS-076",
			Severity: finding.Medium,
			Title:    "EKS control plane audit logging disabled",
			Why: "The Kubernetes audit log records every request to the API server: who deployed which image, who " +
				"exec'd into a pod, who changed RBAC. In an immutable cluster, changes made through the API instead of " +
				"the pipeline show up only there.",
			Remediation: "Set `enabled_cluster_log_types = [\"api\", \"audit\", \"authenticator\"]` on the aws_eks_cluster.",
			References: []string{
				"https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
				"https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html",
			},
			ResourceTypes: []string{"aws_eks_cluster"},
			Check: func(s *model.State) []Result {
				var out []Result
				for _, r := range s.OfType("aws_eks_cluster") {
					a := r.Attr("enabled_cluster_log_types")
					if a == nil || (a.Value.IsKnown() && a.Value.IsNull()) {
						out = append(out, Missing(r, fmt.Sprintf("%s does not set enabled_cluster_log_types: no audit log", label(r))))
						continue
					}
					types, complete := a.Strings()
					if complete && !inStrings(types, "audit") {
						enabled := "no log types"
						if len(types) > 0 {
							enabled = "log types " + quoteAll(types)
						}
						out = append(out, At(r, a, fmt.Sprintf("%s enables %s, not \"audit\"", label(r), enabled)))
					}
				}
				return out
			},
		},
	}
}
