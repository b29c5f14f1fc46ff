package test.object

# A partial object rule: every value is a result.
deny[r.address] := msg if {
	some r in input.resources
	r.type == "aws_instance"
	msg := sprintf("%s: instance", [r.address])
}
