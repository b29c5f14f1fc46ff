# Every AWS resource a team owns says which team: alerts, bills and
# clean-up need someone to go to.
package org.aws.tags

__rego_metadata__ := {
	"id": "ORG-001",
	"title": "AWS resources carry a team tag",
	"severity": "MEDIUM",
	"description": "Taggable AWS resources name the team that owns them in a `team` (or `Team`) tag, so that alerts, costs and clean-up reach someone.",
	"remediation": "Add `team = \"<your team>\"` to the resource's tags.",
	"references": ["https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html"],
}

# The resource types checked: those that take a tags map and that a team
# owns. Extend the list with what your organisation uses.
taggable := {
	"aws_instance", "aws_launch_template", "aws_ebs_volume",
	"aws_vpc", "aws_subnet", "aws_security_group",
	"aws_lb", "aws_lb_target_group",
	"aws_s3_bucket", "aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table",
	"aws_kms_key", "aws_ecr_repository", "aws_iam_role", "aws_iam_user",
	"aws_sns_topic", "aws_sqs_queue", "aws_cloudwatch_log_group",
	"aws_lambda_function", "aws_eks_cluster", "aws_cloudtrail",
}

# Tags set through the provider's default_tags are not part of a resource,
# so this policy does not see them: it checks the tags written on the
# resource itself (and tags_all, when the input has it).
deny contains {"msg": msg, "resource": r.address} if {
	some r in input.resources
	r.format == "terraform"
	r.mode == "managed"
	taggable[r.type]
	not has_team(r)
	# Tags computed from values known only after apply might hold a team.
	not "tags" in r.unknown
	msg := sprintf("%s has no team tag", [r.address])
}

has_team(r) if team_in(r.attributes.tags)

has_team(r) if team_in(r.attributes.tags_all)

team_in(tags) if {
	some key, value in tags
	lower(key) == "team"
	value != ""
}
