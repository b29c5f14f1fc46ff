package test.syntaxv0

deny[msg] {
	msg := "fine"
}

deny[msg] {
	msg := concat(", ", [
}
