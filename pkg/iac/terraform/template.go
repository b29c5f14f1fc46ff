package terraform

import (
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// unknownPart stands in model.Attribute.Template for a part of a template
// whose value is not known.
const unknownPart = "\x00"

// templateText returns model.Attribute.Template for an attribute whose
// value is unknown: the text of a template (a quoted string with
// interpolations, a heredoc, either in parentheses), of one wrapped in base64encode or base64gzip,
// or of templatefile(path, vars) with a known path, with every part that
// is not wholly known replaced by unknownPart. It is "" for any other
// expression.
//
// The parts are evaluated again, one by one; the attribute's own
// evaluation already reported their errors, so these are dropped.
func (s *scope) templateText(expr hcl.Expression, in *inst) string {
	n := len(s.r.out.errs)
	defer func() { s.r.out.errs = s.r.out.errs[:n] }()
	text, _ := s.template(expr, in)
	return text
}

func (s *scope) template(expr hcl.Expression, in *inst) (string, bool) {
	switch e := expr.(type) {
	case *hclsyntax.ParenthesesExpr:
		return s.template(e.Expression, in)
	case *hclsyntax.TemplateWrapExpr:
		return s.template(e.Wrapped, in)
	case *hclsyntax.TemplateExpr:
		return templateParts(e.Parts, func(p hcl.Expression) cty.Value {
			v, _ := s.eval(p, in)
			return v
		}), true
	case *hclsyntax.FunctionCallExpr:
		if e.ExpandFinal {
			return "", false
		}
		switch {
		case (e.Name == "base64encode" || e.Name == "base64gzip") && len(e.Args) == 1:
			return s.template(e.Args[0], in)
		case e.Name == "templatefile" && len(e.Args) == 2:
			return s.templateFile(e.Args[0], e.Args[1], in)
		}
	}
	return "", false
}

// templateFile renders a template file as far as its parts are known,
// with the variables vars gives (an unknown variable leaves its parts
// unknown).
func (s *scope) templateFile(pathExpr, varsExpr hcl.Expression, in *inst) (string, bool) {
	pv, _ := s.eval(pathExpr, in)
	path, ok := model.AsString(pv)
	if !ok {
		return "", false
	}
	b, ok := s.r.readAllowed(path)
	if !ok || !utf8.Valid(b) {
		return "", false
	}
	expr, diags := hclsyntax.ParseTemplate(b, path, hcl.InitialPos)
	if diags.HasErrors() {
		return "", false
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: map[string]function.Function{}}
	for name, f := range s.r.funcCtx.Functions {
		if name != "templatefile" { // as in Terraform, and no recursion
			ctx.Functions[name] = f
		}
	}
	vars, _ := s.eval(varsExpr, in)
	if vars.IsKnown() && !vars.IsNull() && (vars.Type().IsObjectType() || vars.Type().IsMapType()) {
		for it := vars.ElementIterator(); it.Next(); {
			k, v := it.Element()
			ctx.Variables[k.AsString()] = v
		}
	}
	eval := func(p hcl.Expression) cty.Value {
		v, diags := safeValue(p, ctx) // a variable vars lacks is an error
		if diags.HasErrors() {
			return cty.DynamicVal
		}
		return v
	}
	switch e := expr.(type) {
	case *hclsyntax.TemplateExpr:
		return templateParts(e.Parts, eval), true
	case *hclsyntax.TemplateWrapExpr:
		return templateParts([]hclsyntax.Expression{e.Wrapped}, eval), true
	}
	return "", false
}

// templateParts joins the string values of a template's parts, putting
// unknownPart for each that is not wholly known.
func templateParts(parts []hclsyntax.Expression, eval func(hcl.Expression) cty.Value) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(partText(eval(p)))
	}
	return b.String()
}

func partText(v cty.Value) string {
	v, _ = v.UnmarkDeep()
	if !v.IsWhollyKnown() || v.IsNull() {
		return unknownPart
	}
	sv, err := convert.Convert(v, cty.String)
	if err != nil || !sv.IsKnown() || sv.IsNull() {
		return unknownPart
	}
	return sv.AsString()
}
