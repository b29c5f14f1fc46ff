package test.meta.trivy

__rego_metadata__ := {
	"id": "TRIVY-1",
	"title": "Trivy style",
	"severity": "critical",
	"description": "described",
	"recommended_actions": "fix it",
	"url": "https://example.com/trivy",
}

deny contains "d" if true

warn contains "w" if true
