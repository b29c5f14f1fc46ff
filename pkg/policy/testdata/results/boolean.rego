package test.boolean

__rego_metadata__ := {"title": "No data sources allowed"}

deny if {
	some r in input.resources
	r.mode == "data"
}
