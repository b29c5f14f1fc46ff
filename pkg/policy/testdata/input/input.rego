package test.input

deny contains {"msg": state, "resource": r.address} if {
	some r in input.resources
	state := ami(r)
}

ami(r) := "unknown" if "ami" in r.unknown

ami(r) := "null" if {
	not "ami" in r.unknown
	r.attributes.ami == null
}

ami(r) := "unset" if not "ami" in object.keys(r.attributes)

ami(r) := "set" if is_string(r.attributes.ami)
