package test.imports

import data.test.old

# Packages in different files see each other.
warn contains msg if {
	some m in old.deny
	msg := concat("", ["seen: ", m])
}
