package policy

import (
	"context"
	"fmt"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// metadata is what a policy says about itself. Empty fields are unset.
type metadata struct {
	id, title, severity, description, remediation string
	references                                    []string
	// severityAt is where severity was written, for its errors.
	severityAt model.Range
}

// or returns m with its unset fields taken from d.
func (m metadata) or(d metadata) metadata {
	pick := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	out := metadata{
		id:          pick(m.id, d.id),
		title:       pick(m.title, d.title),
		severity:    pick(m.severity, d.severity),
		description: pick(m.description, d.description),
		remediation: pick(m.remediation, d.remediation),
		references:  m.references,
		severityAt:  m.severityAt,
	}
	if m.severity == "" {
		out.severityAt = d.severityAt
	}
	if len(out.references) == 0 {
		out.references = d.references
	}
	return out
}

// regoMetadata evaluates a package's __rego_metadata__ rule, the form Trivy
// checks use:
//
//	__rego_metadata__ := {"id": "ORG-001", "title": "...", "severity": "HIGH", ...}
//
// Trivy's own key names (recommended_actions, url) are read too.
func regoMetadata(ctx context.Context, c *ast.Compiler, pkg *pkgInfo) (metadata, error) {
	if pkg.meta == nil {
		return metadata{}, nil
	}
	at := ruleRange(pkg.meta)
	ref := pkg.ref.Append(ast.StringTerm("__rego_metadata__"))
	rs, err := rego.New(
		rego.Compiler(c),
		rego.ParsedQuery(ast.NewBody(ast.NewExpr(ast.NewTerm(ref)))),
	).Eval(ctx)
	if err != nil {
		q := &query{pkg: pkg.path, kind: "__rego_metadata__", at: at}
		return metadata{}, q.runtimeError(err)
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return metadata{}, nil
	}
	obj, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return metadata{}, fmt.Errorf("%s: __rego_metadata__ must be an object", where(at))
	}
	m := metadata{
		id:          str(obj, "id", "avd_id"),
		title:       str(obj, "title"),
		severity:    str(obj, "severity"),
		description: str(obj, "description"),
		remediation: str(obj, "remediation", "recommended_actions"),
		references:  strs(obj["references"]),
		severityAt:  at,
	}
	if len(m.references) == 0 {
		m.references = strs(obj["url"])
	}
	return m, nil
}

// annotations reads the METADATA comments that apply to rule r: those on
// the rule itself (scope rule or document), and those on its package.
//
//	# METADATA
//	# title: Instances need a team tag
//	# related_resources: [https://example.com/tagging]
//	# custom:
//	#   id: ORG-001
//	#   severity: MEDIUM
func annotations(c *ast.Compiler, r *ast.Rule) (onRule, onPackage metadata) {
	as := c.GetAnnotationSet()
	if as == nil {
		return metadata{}, metadata{}
	}
	// Chain lists the closest annotations first.
	for _, ar := range as.Chain(r) {
		a := ar.Annotations
		if a == nil {
			continue
		}
		m := metadata{
			title:       a.Title,
			description: a.Description,
			id:          str(a.Custom, "id"),
			severity:    str(a.Custom, "severity"),
			remediation: str(a.Custom, "remediation"),
		}
		if a.Location != nil {
			m.severityAt = model.Range{File: a.Location.File, StartLine: a.Location.Row, EndLine: a.Location.Row}
		}
		for _, rr := range a.RelatedResources {
			m.references = append(m.references, rr.Ref.String())
		}
		if a.Scope == "rule" || a.Scope == "document" {
			onRule = onRule.or(m)
		} else {
			onPackage = onPackage.or(m)
		}
	}
	return onRule, onPackage
}

// str returns the first of keys that holds a string.
func str(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok {
			return s
		}
	}
	return ""
}

// strs reads a string or a list of strings.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
