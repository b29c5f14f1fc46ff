package test.compile

deny contains msg if {
	input.resources[_].type == "x"
	msg == "never bound"
}
