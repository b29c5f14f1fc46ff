package test.documents

# Statements that allow every action, read from the decoded policy
# document, known before apply or not.
deny contains {"msg": msg, "resource": r} if {
	some r in input.resources
	some st in statements(r.decoded.policy)
	st.Effect == "Allow"
	"*" in as_array(st.Action)
	msg := sprintf("%s allows every action", [r.address])
}

# Statements that allow any principal, wherever a policy sits in the
# resource (an inline_policy block).
deny contains {"msg": msg, "resource": r} if {
	some r in input.resources
	walk(r.decoded, [path, doc])
	path[count(path) - 1] == "policy"
	some st in statements(doc)
	st.Effect == "Allow"
	"*" in principals(st.Principal)
	msg := sprintf("%s allows any principal (%s)", [r.address, concat(".", [sprintf("%v", [x]) | some x in path])])
}

# The resource of a statement known only after apply, found in unknown.
warn contains {"msg": msg, "resource": r} if {
	some r in input.resources
	some i, st in r.decoded.policy.Statement
	st.Resource == null
	sprintf("policy.Statement[%d].Resource", [i]) in r.unknown
	msg := sprintf("%s: Resource of statement %d is known only after apply", [r.address, i])
}

# An access key in the known text of a template whose value is unknown.
deny contains {"msg": msg, "resource": r} if {
	some r in input.resources
	walk(r.templates, [path, part])
	is_string(part)
	key := regex.find_n(`AKIA[0-9A-Z]{16}`, part, 1)[0]
	msg := sprintf("%s: access key %s in the template of %s", [r.address, key, path[0]])
}

statements(doc) := doc.Statement if is_array(doc.Statement)

statements(doc) := [doc.Statement] if is_object(doc.Statement)

as_array(x) := x if is_array(x)

as_array(x) := [x] if not is_array(x)

principals(p) := {p} if is_string(p)

principals(p) := {x | some x in as_array(p.AWS)} if is_object(p)
