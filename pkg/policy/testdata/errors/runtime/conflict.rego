package test.runtime

# A complete rule with two different values: an error when it runs.
kind := r.type if {
	some r in input.resources
}

deny contains kind if true
