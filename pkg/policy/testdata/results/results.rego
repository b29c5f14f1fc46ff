package test.results

# A plain message.
deny contains "a string message" if {
	some r in input.resources
	r.type == "aws_s3_bucket"
}

# An object naming the resource by address.
deny contains {"msg": sprintf("%s is public", [r.address]), "resource": r.address} if {
	some r in input.resources
	r.attributes.acl == "public-read"
}

# An object naming the resource by the object itself, and overriding the
# severity and id of this one result.
deny contains {"msg": "critical one", "resource": r, "severity": "CRITICAL", "id": "TEST-CRIT"} if {
	some r in input.resources
	r.attributes.critical == true
}

# A resource the state does not have: the finding points at the rule.
deny contains {"msg": "ghost", "resource": "aws_s3_bucket.ghost"} if {
	input.resources[_].name == "logs"
}
