# METADATA
# title: Package title
# description: Package description
# related_resources:
#   - https://example.com/pkg
# custom:
#   id: ANN-1
#   severity: MEDIUM
#   remediation: Package remediation
package test.meta.annotated

deny contains "d" if true

# METADATA
# title: Warn title
# custom:
#   id: ANN-W
#   severity: HIGH
warn contains "w" if true
