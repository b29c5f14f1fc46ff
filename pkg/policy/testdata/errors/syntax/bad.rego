package test.syntax

deny contains msg if {
	msg := "unterminated
}
