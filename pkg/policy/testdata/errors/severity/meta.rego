package test.severity

__rego_metadata__ := {"id": "SEV-1", "severity": "SEVERE"}

deny contains "d" if true
