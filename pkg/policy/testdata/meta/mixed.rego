# METADATA
# title: From the package annotation
# description: From the package annotation
package test.meta.mixed

__rego_metadata__ := {"id": "MIX-1", "title": "From __rego_metadata__"}

# METADATA
# custom:
#   severity: LOW
deny contains "d" if true
