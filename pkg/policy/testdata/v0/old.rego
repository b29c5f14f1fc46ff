package test.old

deny[msg] {
	r := input.resources[_]
	r.type == "aws_instance"
	msg := sprintf("old style: %s", [r.name])
}
