package bench.open

deny contains {"msg": "open ingress", "resource": r.address} if {
	some r in input.resources
	r.type == "aws_security_group"
	some rule in r.attributes.ingress
	rule.cidr_blocks[_] == "0.0.0.0/0"
}
