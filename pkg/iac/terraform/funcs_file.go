package terraform

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

// File functions read relative paths from the root module's directory, as
// Terraform does from its working directory. A file outside the scanned
// tree, or one that does not exist (it may be generated before apply),
// gives an unknown value rather than an error: fixity never reads what it
// was not asked to scan.

// resolve returns the absolute path of a file the functions may read, or
// "" when it lies outside the scan.
func (r *run) resolve(p string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(r.rootDir, filepath.FromSlash(p))
	}
	p = filepath.Clean(p)
	for _, dir := range r.allowed {
		if within(dir, p) {
			return p
		}
	}
	return ""
}

func (r *run) readAllowed(p string) ([]byte, bool) {
	abs := r.resolve(p)
	if abs == "" {
		return nil, false
	}
	info, err := os.Stat(abs)
	if err != nil || !info.Mode().IsRegular() || info.Size() > r.l.opts.MaxFileSize {
		return nil, false
	}
	b, err := os.ReadFile(abs)
	if err != nil {
		return nil, false
	}
	return b, true
}

func readText(b []byte) (string, error) {
	if !utf8.Valid(b) {
		return "", errors.New("contents are not valid UTF-8; use filebase64 for binary files")
	}
	return string(b), nil
}

func readBase64(b []byte) (string, error) {
	return base64.StdEncoding.EncodeToString(b), nil
}

func fileHash(h func([]byte) []byte, b64 bool) func([]byte) (string, error) {
	return func(b []byte) (string, error) { return encodeSum(h(b), b64), nil }
}

func (r *run) fileFunc(conv func([]byte) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, ok := r.readAllowed(args[0].AsString())
			if !ok {
				return cty.UnknownVal(cty.String), nil
			}
			s, err := conv(b)
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(s), nil
		},
	})
}

func (r *run) fileExistsFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			abs := r.resolve(args[0].AsString())
			if abs == "" {
				return cty.UnknownVal(cty.Bool), nil
			}
			info, err := os.Stat(abs)
			return cty.BoolVal(err == nil && info.Mode().IsRegular()), nil
		},
	})
}

func (r *run) fileSetFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "pattern", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			base := r.resolve(args[0].AsString())
			if base == "" {
				return cty.UnknownVal(cty.Set(cty.String)), nil
			}
			pattern := args[1].AsString()
			var matches []cty.Value
			err := filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return nil
				}
				rel, err := filepath.Rel(base, p)
				if err != nil {
					return nil
				}
				rel = filepath.ToSlash(rel)
				if walk.Match(pattern, rel) && len(matches) < maxInstances {
					matches = append(matches, cty.StringVal(rel))
				}
				return nil
			})
			if err != nil || len(matches) == 0 {
				return cty.SetValEmpty(cty.String), nil
			}
			sort.Slice(matches, func(i, j int) bool { return matches[i].AsString() < matches[j].AsString() })
			return cty.SetVal(matches), nil
		},
	})
}

// templateFileFunc renders a template file with the given variables and
// the function table from funcs (built on first use, to break the
// recursion of templatefile being in its own table).
func (r *run) templateFileFunc(funcs func() map[string]function.Function) function.Function {
	var inner map[string]function.Function
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, ok := r.readAllowed(args[0].AsString())
			if !ok {
				return cty.DynamicVal, nil
			}
			vars := args[1]
			ty := vars.Type()
			if !(ty.IsObjectType() || ty.IsMapType()) {
				return cty.NilVal, function.NewArgErrorf(1, "invalid vars value: must be a map")
			}
			if !vars.IsKnown() {
				return cty.DynamicVal, nil
			}
			expr, diags := hclsyntax.ParseTemplate(b, args[0].AsString(), hcl.InitialPos)
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			if inner == nil {
				inner = funcs()
			}
			ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: inner}
			for it := vars.ElementIterator(); it.Next(); {
				k, v := it.Element()
				if !hclsyntax.ValidIdentifier(k.AsString()) {
					return cty.NilVal, function.NewArgErrorf(1, "invalid template variable name %q", k.AsString())
				}
				ctx.Variables[k.AsString()] = v
			}
			for _, t := range expr.Variables() {
				if _, ok := ctx.Variables[t.RootName()]; !ok {
					return cty.NilVal, fmt.Errorf("vars map does not contain key %q, referenced at %s", t.RootName(), t[0].SourceRange())
				}
			}
			val, diags := expr.Value(ctx)
			if diags.HasErrors() {
				return cty.NilVal, diags
			}
			return val, nil
		},
	})
}
