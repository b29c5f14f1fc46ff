// Package rules is fixity's built-in rule library. A rule is metadata plus a
// check over the normalized model (pkg/iac/model); it never sees raw syntax.
// The rule set is an explicit list built by All, not a registry filled by
// init functions, so what runs is plain to read and to test.
package rules

import (
	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// Rule is one security check.
type Rule struct {
	// ID is stable and never reused: FX-<FAMILY>-<NNN>.
	ID       string
	Severity finding.Severity
	Title    string
	// Why says why it matters, for immutable infrastructure in particular.
	Why         string
	Remediation string
	References  []string
	// ResourceTypes are the resource types the check looks at.
	ResourceTypes []string
	Check         func(s *model.State) []Result
}

// Result is one place a rule fired.
type Result struct {
	Resource *model.Resource
	// Range is the exact attribute or block at fault; the resource's own
	// range when the problem is something missing.
	Range   model.Range
	Message string
}

// Meta returns the rule's metadata in the shape reports carry.
func (r *Rule) Meta() finding.Rule {
	return finding.Rule{
		ID:          r.ID,
		Severity:    r.Severity,
		Title:       r.Title,
		Description: r.Why,
		Remediation: r.Remediation,
		References:  r.References,
	}
}

// At builds a result pointing at an attribute.
func At(r *model.Resource, a *model.Attribute, msg string) Result {
	return Result{Resource: r, Range: a.Range, Message: msg}
}

// AtBlock builds a result pointing at a nested block.
func AtBlock(r *model.Resource, b *model.Block, msg string) Result {
	return Result{Resource: r, Range: b.Range, Message: msg}
}

// Missing builds a result for something absent: it points at the resource.
func Missing(r *model.Resource, msg string) Result {
	return Result{Resource: r, Range: r.Range, Message: msg}
}
