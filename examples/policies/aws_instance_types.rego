# METADATA
# title: No t2 instances
# description: >-
#   t2 instances run on the previous, Xen-based generation of EC2 hardware
#   and spend CPU credits unpredictably; t3 and t4g are cheaper and faster.
# related_resources:
#   - https://aws.amazon.com/ec2/instance-types/t3/
# custom:
#   id: ORG-002
#   severity: LOW
#   remediation: Use the t3 or t4g type of the same size.
package org.aws.instance_types

# The attribute that holds an instance type, by resource type. Terraform
# and CloudFormation (AWS::EC2::Instance, AWS::EC2::LaunchTemplate,
# AWS::AutoScaling::LaunchConfiguration) read the same.
instance_types := {"aws_instance", "aws_launch_template", "aws_launch_configuration"}

deny contains {"msg": msg, "resource": r} if {
	some r in input.resources
	instance_types[r.type]
	startswith(r.attributes.instance_type, "t2.")
	msg := sprintf("%s uses %s", [r.address, r.attributes.instance_type])
}

# A type known only after apply cannot be checked: say so, quietly.
warn contains {"msg": msg, "resource": r} if {
	some r in input.resources
	instance_types[r.type]
	"instance_type" in r.unknown
	msg := sprintf("%s: instance type not known before apply", [r.address])
}
