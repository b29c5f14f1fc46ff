package terraform

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"github.com/fixity-sec/fixity/pkg/finding"
)

// rootValues reads the variable values Terraform would use for a root
// module, lowest precedence first: terraform.tfvars, terraform.tfvars.json,
// *.auto.tfvars and *.auto.tfvars.json in lexical order, then the
// -var-file files in order. -var values (Options.Vars) win over all of
// them and are applied per variable, since their parsing depends on the
// declared type.
func (r *run) rootValues(m *module) map[string]cty.Value {
	vals := map[string]cty.Value{}
	var names []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if info, err := os.Stat(filepath.Join(m.dir, n)); err == nil && info.Mode().IsRegular() {
			names = append(names, filepath.Join(m.dir, n))
		}
	}
	if entries, err := os.ReadDir(m.dir); err == nil {
		var auto []string
		for _, e := range entries {
			n := e.Name()
			if !e.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
				auto = append(auto, n)
			}
		}
		sort.Strings(auto)
		for _, n := range auto {
			names = append(names, filepath.Join(m.dir, n))
		}
	}
	for _, name := range names {
		r.readVarFile(name, vals)
	}
	for _, vf := range r.l.opts.VarFiles {
		abs, err := filepath.Abs(vf)
		if err != nil {
			abs = vf
		}
		r.readVarFile(abs, vals)
	}
	return vals
}

func (r *run) readVarFile(abs string, vals map[string]cty.Value) {
	rel := r.l.rel(abs)
	src, err := readLimited(abs, r.l.opts.MaxFileSize)
	if err != nil {
		r.out.errs = append(r.out.errs, finding.Error{File: rel, Message: err.Error()})
		return
	}
	r.l.addFile(rel)
	var f *hcl.File
	var diags hcl.Diagnostics
	func() {
		defer func() {
			if p := recover(); p != nil {
				f = nil
				diags = hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "internal error while parsing"}}
			}
		}()
		if strings.HasSuffix(abs, ".json") {
			f, diags = hcljson.Parse(src, rel)
		} else {
			f, diags = hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
		}
	}()
	r.out.errs = append(r.out.errs, diagErrors(diags, rel)...)
	if diags.HasErrors() || f == nil || f.Body == nil {
		return // like a .tf file that does not parse: no values from it
	}
	attrs, diags := f.Body.JustAttributes()
	r.out.errs = append(r.out.errs, diagErrors(diags, rel)...)
	for _, a := range sortedAttrs(attrs) {
		// Variable files hold plain values: no references, no functions.
		v, diags := safeValue(a.Expr, nil)
		if diags.HasErrors() {
			r.out.errs = append(r.out.errs, diagErrors(diags, rel)...)
			continue
		}
		vals[a.Name] = v
	}
}

// parseRawVar reads a -var value as Terraform does: literally for a
// variable of primitive type, as an HCL expression for a collection or
// structural type. With no type constraint the value is an HCL literal or
// collection if it reads as one (3, true, ["a"], {k = "v"}) and a plain
// string otherwise.
func (r *run) parseRawVar(decl *variable, raw string) cty.Value {
	if decl.typed && decl.ty.IsPrimitiveType() {
		return cty.StringVal(raw)
	}
	filename := "<value for var." + decl.name + ">"
	expr, diags := hclsyntax.ParseExpression([]byte(raw), filename, hcl.InitialPos)
	if !diags.HasErrors() && len(expr.Variables()) == 0 {
		if v, d := safeValue(expr, nil); !d.HasErrors() {
			return v
		}
	}
	if decl.typed && decl.ty != cty.DynamicPseudoType {
		r.out.errs = append(r.out.errs, finding.Error{File: "-var " + decl.name, Message: "invalid value for variable " + decl.name + ": not a valid HCL expression"})
		return cty.UnknownVal(decl.ty)
	}
	return cty.StringVal(raw)
}
