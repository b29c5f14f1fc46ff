package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// file is one parsed configuration file.
type file struct {
	rel  string // relative to the scan root; also the HCL filename, so diagnostics carry it
	body hcl.Body
	errs []finding.Error
}

// parseFile reads and parses one file. It never panics: a parser panic on
// hostile input becomes an error entry.
func (l *loader) parseFile(abs, rel string) (f *file) {
	f = &file{rel: rel}
	defer func() {
		if p := recover(); p != nil {
			f.body = nil
			f.errs = append(f.errs, finding.Error{File: rel, Message: fmt.Sprintf("internal error while parsing: %v", p)})
		}
	}()
	src, err := readLimited(abs, l.opts.MaxFileSize)
	if err != nil {
		f.errs = append(f.errs, finding.Error{File: rel, Message: err.Error()})
		return f
	}
	var hf *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(rel, ".json") {
		hf, diags = hcljson.Parse(src, rel)
	} else {
		hf, diags = hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
	}
	f.errs = append(f.errs, diagErrors(diags, rel)...)
	if diags.HasErrors() {
		// Terraform refuses a file that does not parse. HCL's error
		// recovery still returns a body, but what it holds past the
		// mistake is guesswork (an unterminated string swallows the lines
		// after it), and findings on it would be findings on garbage: the
		// file contributes its errors and nothing else.
		return f
	}
	if hf != nil && hf.Body != nil {
		f.body = hf.Body
	}
	return f
}

func readLimited(abs string, max int64) ([]byte, error) {
	info, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if max > 0 && info.Size() > max {
		return nil, fmt.Errorf("%d bytes is larger than the %d byte limit", info.Size(), max)
	}
	return os.ReadFile(abs)
}

// diagErrors turns HCL error diagnostics into error entries; warnings are
// dropped. fallback names the file when a diagnostic has no subject.
func diagErrors(diags hcl.Diagnostics, fallback string) []finding.Error {
	var out []finding.Error
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		e := finding.Error{File: fallback, Message: d.Summary}
		if d.Detail != "" {
			e.Message += ": " + d.Detail
		}
		if d.Subject != nil {
			if d.Subject.Filename != "" {
				e.File = d.Subject.Filename
			}
			e.Line = d.Subject.Start.Line
		}
		out = append(out, e)
	}
	return out
}

// module is the static configuration of one module directory, shared by
// every instance of the module.
type module struct {
	dir       string // absolute
	files     []*file
	vars      map[string]*variable
	locals    map[string]*local
	outputs   map[string]*output
	outNames  []string
	resources []*resource
	resByAddr map[string]*resource
	calls     []*call
	callByNm  map[string]*call
	targets   []string // directories of local module calls
	errs      []finding.Error
	names     *nameSet // attribute names its expressions read; see treeNames
}

type variable struct {
	name     string
	ty       cty.Type
	typed    bool // a type constraint was given
	defaults *typeexpr.Defaults
	def      hcl.Expression // nil when there is no default
	nullable bool
	rng      hcl.Range
}

type local struct {
	name string
	expr hcl.Expression
}

type output struct {
	name string
	expr hcl.Expression
}

type resource struct {
	mode    model.Mode
	typ     string
	name    string
	addr    string // "aws_x.y" or "data.aws_x.y"
	rng     model.Range
	body    hcl.Body
	count   hcl.Expression
	forEach hcl.Expression
}

type call struct {
	name    string
	source  string
	rng     hcl.Range
	count   hcl.Expression
	forEach hcl.Expression
	inputs  map[string]*hcl.Attribute
}

var topSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "output", LabelNames: []string{"name"}},
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "terraform"},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "moved"},
		{Type: "import"},
		{Type: "check", LabelNames: []string{"name"}},
		{Type: "removed"},
		{Type: "ephemeral", LabelNames: []string{"type", "name"}},
	},
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "default"}, {Name: "type"}, {Name: "description"},
		{Name: "sensitive"}, {Name: "nullable"}, {Name: "ephemeral"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var outputSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "value"}, {Name: "description"}, {Name: "sensitive"},
		{Name: "depends_on"}, {Name: "ephemeral"},
	},
}

// newModule decodes the top-level blocks of a directory's files.
func newModule(dir string, files []*file) *module {
	m := &module{
		dir:       dir,
		files:     files,
		vars:      map[string]*variable{},
		locals:    map[string]*local{},
		outputs:   map[string]*output{},
		resByAddr: map[string]*resource{},
		callByNm:  map[string]*call{},
		names:     &nameSet{},
	}
	for _, f := range files {
		if f.body != nil {
			m.decodeFile(f)
		}
	}
	sort.Strings(m.outNames)
	for _, c := range m.calls {
		if isLocalSource(c.source) {
			m.targets = append(m.targets, moduleDir(dir, c.source))
		}
	}
	// Everything needed later is in the declarations now.
	for _, f := range files {
		f.body = nil
	}
	return m
}

func (m *module) decodeFile(f *file) {
	defer func() {
		if p := recover(); p != nil {
			m.errs = append(m.errs, finding.Error{File: f.rel, Message: fmt.Sprintf("internal error while decoding: %v", p)})
		}
	}()
	content, _, diags := f.body.PartialContent(topSchema)
	m.errs = append(m.errs, diagErrors(diags, f.rel)...)
	for _, b := range content.Blocks {
		switch b.Type {
		case "variable":
			m.decodeVariable(f, b)
		case "locals":
			attrs, diags := b.Body.JustAttributes()
			m.errs = append(m.errs, diagErrors(diags, f.rel)...)
			for _, a := range sortedAttrs(attrs) {
				if _, dup := m.locals[a.Name]; dup {
					m.errs = append(m.errs, finding.Error{File: f.rel, Line: a.NameRange.Start.Line, Message: fmt.Sprintf("duplicate local value %q", a.Name)})
					continue
				}
				m.locals[a.Name] = &local{name: a.Name, expr: a.Expr}
			}
		case "output":
			c, _, diags := b.Body.PartialContent(outputSchema)
			m.errs = append(m.errs, diagErrors(diags, f.rel)...)
			name := b.Labels[0]
			if _, dup := m.outputs[name]; dup {
				continue
			}
			o := &output{name: name}
			if a := c.Attributes["value"]; a != nil {
				o.expr = a.Expr
			}
			m.outputs[name] = o
			m.outNames = append(m.outNames, name)
		case "resource", "data":
			m.decodeResource(f, b)
		case "module":
			m.decodeCall(f, b)
		}
	}
}

func (m *module) decodeVariable(f *file, b *hcl.Block) {
	name := b.Labels[0]
	if _, dup := m.vars[name]; dup {
		m.errs = append(m.errs, finding.Error{File: f.rel, Line: b.DefRange.Start.Line, Message: fmt.Sprintf("duplicate variable %q", name)})
		return
	}
	c, _, diags := b.Body.PartialContent(variableSchema)
	m.errs = append(m.errs, diagErrors(diags, f.rel)...)
	v := &variable{name: name, ty: cty.DynamicPseudoType, nullable: true, rng: b.DefRange}
	if a := c.Attributes["type"]; a != nil {
		ty, defaults, diags := typeConstraint(a.Expr)
		if diags.HasErrors() {
			m.errs = append(m.errs, diagErrors(diags, f.rel)...)
		} else {
			v.ty, v.defaults, v.typed = ty, defaults, true
		}
	}
	if a := c.Attributes["default"]; a != nil {
		v.def = a.Expr
	}
	if a := c.Attributes["nullable"]; a != nil {
		if nv, diags := a.Expr.Value(nil); !diags.HasErrors() && nv.Type() == cty.Bool && nv.IsKnown() && !nv.IsNull() {
			v.nullable = nv.True()
		}
	}
	m.vars[name] = v
}

// typeConstraint reads a type constraint. JSON files give it as a string,
// which is parsed as native syntax first.
func typeConstraint(expr hcl.Expression) (cty.Type, *typeexpr.Defaults, hcl.Diagnostics) {
	ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(expr)
	if !diags.HasErrors() {
		return ty, defaults, nil
	}
	if v, vdiags := expr.Value(nil); !vdiags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
		rng := expr.Range()
		e, pdiags := hclsyntax.ParseExpression([]byte(v.AsString()), rng.Filename, rng.Start)
		if !pdiags.HasErrors() {
			if ty, defaults, d2 := typeexpr.TypeConstraintWithDefaults(e); !d2.HasErrors() {
				return ty, defaults, nil
			}
		}
	}
	return ty, defaults, diags
}

func (m *module) decodeResource(f *file, b *hcl.Block) {
	r := &resource{typ: b.Labels[0], name: b.Labels[1], body: b.Body}
	r.addr = r.typ + "." + r.name
	if b.Type == "data" {
		r.mode = model.Data
		r.addr = "data." + r.addr
	}
	if _, dup := m.resByAddr[r.addr]; dup {
		m.errs = append(m.errs, finding.Error{File: f.rel, Line: b.DefRange.Start.Line, Message: fmt.Sprintf("duplicate resource %q", r.addr)})
		return
	}
	r.rng = blockRange(b)
	for _, a := range bodyAttrs(b.Body) {
		switch a.Name {
		case "count":
			r.count = a.Expr
		case "for_each":
			r.forEach = a.Expr
		}
	}
	if r.count != nil && r.forEach != nil {
		m.errs = append(m.errs, finding.Error{File: f.rel, Line: b.DefRange.Start.Line, Message: fmt.Sprintf("%s: count and for_each cannot both be set", r.addr)})
		r.forEach = nil
	}
	m.resources = append(m.resources, r)
	m.resByAddr[r.addr] = r
}

func (m *module) decodeCall(f *file, b *hcl.Block) {
	c := &call{name: b.Labels[0], rng: b.DefRange, inputs: map[string]*hcl.Attribute{}}
	if _, dup := m.callByNm[c.name]; dup {
		m.errs = append(m.errs, finding.Error{File: f.rel, Line: b.DefRange.Start.Line, Message: fmt.Sprintf("duplicate module call %q", c.name)})
		return
	}
	for _, a := range bodyAttrs(b.Body) {
		switch a.Name {
		case "source":
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() || v.Type() != cty.String || !v.IsKnown() || v.IsNull() {
				m.errs = append(m.errs, finding.Error{File: f.rel, Line: a.Range.Start.Line, Message: fmt.Sprintf("module %q: source must be a literal string", c.name)})
				continue
			}
			c.source = v.AsString()
		case "count":
			c.count = a.Expr
		case "for_each":
			c.forEach = a.Expr
		case "version", "providers", "depends_on":
		default:
			c.inputs[a.Name] = a
		}
	}
	if c.count != nil && c.forEach != nil {
		m.errs = append(m.errs, finding.Error{File: f.rel, Line: b.DefRange.Start.Line, Message: fmt.Sprintf("module %q: count and for_each cannot both be set", c.name)})
		c.forEach = nil
	}
	m.calls = append(m.calls, c)
	m.callByNm[c.name] = c
}

// bodyAttrs lists a body's attributes in source order without a schema. In
// native syntax nested blocks are skipped; in JSON every property is an
// attribute.
func bodyAttrs(body hcl.Body) []*hcl.Attribute {
	if hb, ok := body.(*hclsyntax.Body); ok {
		out := make([]*hcl.Attribute, 0, len(hb.Attributes))
		for _, a := range hb.Attributes {
			out = append(out, a.AsHCLAttribute())
		}
		sortAttrList(out)
		return out
	}
	attrs, _ := body.JustAttributes()
	return sortedAttrs(attrs)
}

func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sortAttrList(out)
	return out
}

func sortAttrList(out []*hcl.Attribute) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Range.Start.Byte != out[j].Range.Start.Byte {
			return out[i].Range.Start.Byte < out[j].Range.Start.Byte
		}
		return out[i].Name < out[j].Name
	})
}

// blockRange is the whole block, from its type keyword to its closing
// brace. JSON bodies do not expose their extent, so the last attribute
// bounds it.
func blockRange(b *hcl.Block) model.Range {
	rng := b.DefRange
	if hb, ok := b.Body.(*hclsyntax.Body); ok {
		rng = hcl.RangeBetween(b.TypeRange, hb.SrcRange)
	} else {
		attrs, _ := b.Body.JustAttributes()
		for _, a := range attrs {
			if a.Range.End.Line > rng.End.Line {
				rng.End = a.Range.End
			}
		}
	}
	return toRange(rng)
}

func toRange(r hcl.Range) model.Range {
	end := r.End.Line
	if end < r.Start.Line {
		end = r.Start.Line
	}
	return model.Range{File: r.Filename, StartLine: r.Start.Line, EndLine: end}
}

// isLocalSource reports whether a module source is a local path, which
// Terraform recognises by its "./" or "../" prefix.
func isLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") ||
		strings.HasPrefix(s, ".\\") || strings.HasPrefix(s, "..\\")
}

// config returns the configuration of a module directory, parsing it on
// first use: the walked files of a walked directory, or the Terraform files
// of a directory outside the walk (outside the scan root, or under
// .terraform). It is nil when the directory holds no Terraform files.
func (l *loader) config(dir string) *module {
	return l.entry(dir).mod
}

// entry returns the parsed configuration entry of a directory.
func (l *loader) entry(dir string) *configEntry {
	l.mu.Lock()
	e := l.configs[dir]
	if e == nil {
		e = &configEntry{}
		l.configs[dir] = e
	}
	l.mu.Unlock()
	e.once.Do(func() { e.mod = l.parseDir(dir) })
	return e
}

func (l *loader) parseDir(dir string) *module {
	type source struct{ abs, rel string }
	var srcs []source
	if walked, ok := l.walked[dir]; ok {
		for _, f := range walked {
			srcs = append(srcs, source{f.Abs, f.Rel})
		}
	} else {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil
		}
		for _, ent := range entries {
			if ent.IsDir() || !IsTerraformFile(ent.Name()) {
				continue
			}
			abs := filepath.Join(dir, ent.Name())
			srcs = append(srcs, source{abs, l.rel(abs)})
		}
	}
	if len(srcs) == 0 {
		return nil
	}
	files := make([]*file, len(srcs))
	if len(srcs) < 4 {
		for i, s := range srcs {
			files[i] = l.parseFile(s.abs, s.rel)
		}
	} else {
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for i, s := range srcs {
			g.Go(func() error {
				files[i] = l.parseFile(s.abs, s.rel)
				return nil
			})
		}
		_ = g.Wait()
	}
	m := newModule(dir, files)
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, f := range files {
		l.files[f.rel] = true
		l.errs = append(l.errs, f.errs...)
	}
	l.errs = append(l.errs, m.errs...)
	l.targets[dir] = m.targets
	return m
}
