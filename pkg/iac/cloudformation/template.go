package cloudformation

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// template is one parsed template on its way into the model.
type template struct {
	rel  string
	root *yaml.Node
	ev   *evaluator
	errs []finding.Error
	// globals holds the SAM Globals section's Function properties.
	globals *yaml.Node
}

// logicalID is the form CloudFormation allows; other keys under Resources
// (Fn::ForEach loops of AWS::LanguageExtensions) are not resources.
var logicalID = regexp.MustCompile(`^[A-Za-z0-9]+$`)

func newTemplate(rel string, root *yaml.Node, size int, opts Options) *template {
	t := &template{rel: rel, root: root, ev: newEvaluator(opts.Params, size)}
	if ps := mappingGet(root, "Parameters"); ps != nil {
		ps = resolve(ps)
		for i := 0; ps.Kind == yaml.MappingNode && i+1 < len(ps.Content); i += 2 {
			decl := resolve(ps.Content[i+1])
			p := param{def: mappingGet(decl, "Default")}
			if typ := mappingGet(decl, "Type"); typ != nil {
				p.typ = resolve(typ).Value
			}
			t.ev.params[resolve(ps.Content[i]).Value] = p
		}
	}
	t.ev.mappings = mappingGet(root, "Mappings")
	if cs := mappingGet(root, "Conditions"); cs != nil {
		cs = resolve(cs)
		for i := 0; cs.Kind == yaml.MappingNode && i+1 < len(cs.Content); i += 2 {
			t.ev.conds[resolve(cs.Content[i]).Value] = cs.Content[i+1]
		}
	}
	t.ev.transformed = mappingGet(root, "Transform") != nil
	if g := mappingGet(root, "Globals"); g != nil {
		t.globals = mappingGet(g, "Function")
	}
	return t
}

func (t *template) errorf(line int, format string, args ...any) {
	t.errs = append(t.errs, finding.Error{File: t.rel, Line: line, Message: fmt.Sprintf(format, args...)})
}

// decl is one resource declaration of the Resources section.
type decl struct {
	id      string
	typ     string
	line    int // the logical ID's line
	node    *yaml.Node
	props   *yaml.Node
	adapter *adapter
	tfType  string
	cond    string
}

// load evaluates the template's resources into model resources.
func (t *template) load() ([]*model.Resource, []finding.Error) {
	rsNode := mappingGet(t.root, "Resources")
	if rsNode == nil {
		return nil, t.errs
	}
	rsNode = resolve(rsNode)
	if rsNode.Kind != yaml.MappingNode {
		t.errorf(rsNode.Line, "Resources is not a mapping")
		return nil, t.errs
	}
	// Every logical ID is known before any value is evaluated, so that
	// Ref and Fn::GetAtt resolve to the mapped address whatever the order.
	var decls []*decl
	for i := 0; i+1 < len(rsNode.Content); i += 2 {
		k := resolve(rsNode.Content[i])
		id := k.Value
		if !logicalID.MatchString(id) {
			continue
		}
		n := resolve(rsNode.Content[i+1])
		if n.Kind != yaml.MappingNode {
			t.errorf(k.Line, "resource %s is not a mapping", id)
			continue
		}
		typNode := mappingGet(n, "Type")
		if typNode == nil || resolve(typNode).Kind != yaml.ScalarNode || resolve(typNode).Value == "" {
			t.errorf(k.Line, "resource %s has no Type", id)
			continue
		}
		d := &decl{id: id, typ: resolve(typNode).Value, line: rsNode.Content[i].Line, node: n, props: mappingGet(n, "Properties")}
		if c := mappingGet(n, "Condition"); c != nil {
			d.cond = resolve(c).Value
		}
		if a, ok := adapters[d.typ]; ok {
			d.adapter = &a
			d.tfType = a.typ
			if a.typeOf != nil {
				d.tfType = a.typeOf(d.props)
			}
			t.ev.resources[id] = d.tfType + "." + id
		} else {
			t.ev.resources[id] = unmappedType(d.typ) + "." + id
		}
		decls = append(decls, d)
	}

	var out []*model.Resource
	for _, d := range decls {
		if d.adapter == nil {
			continue
		}
		if d.cond != "" && t.ev.condition(d.cond, 0) == triFalse {
			continue // never created with the parameters given
		}
		var props *val
		if d.props == nil {
			props = &val{kind: kindObject, start: d.line, end: d.line}
		} else {
			props = t.ev.eval(d.props, 0)
			if props.kind == kindNoValue {
				props = &val{kind: kindObject, start: d.line, end: d.line}
			}
		}
		if d.typ == "AWS::Serverless::Function" && t.globals != nil {
			props = withGlobals(props, t.ev.eval(t.globals, 0))
		}
		c := &conv{t: t, d: d}
		out = append(out, c.adapt(props)...)
	}
	for _, le := range t.ev.invalid {
		t.errorf(le.line, "%s", le.msg)
	}
	if t.ev.exhausted {
		t.errorf(0, "template is too large or too deeply nested to evaluate completely; values past the limit are treated as unknown")
	}
	return out, t.errs
}

// unmappedType is the pseudo type of references to resources the adapter
// does not map: no rule reads it, and a link through it is never mistaken
// for a link to a mapped type.
func unmappedType(cfnType string) string {
	return "cloudformation_" + strings.ToLower(strings.NewReplacer("::", "_", "-", "_", ".", "_").Replace(cfnType))
}

// withGlobals applies SAM's Globals.Function to a function's properties:
// a property the function does not set is taken from the globals, and
// environment variables are merged, the function's winning.
func withGlobals(props, globals *val) *val {
	if props.kind != kindObject || globals.kind != kindObject {
		return props
	}
	out := *props
	out.fields = append([]field(nil), props.fields...)
	for _, g := range globals.fields {
		f, ok := props.field(g.key)
		if !ok {
			out.fields = append(out.fields, g)
			continue
		}
		if g.key != "Environment" {
			continue
		}
		gv, fv := g.val.get("Variables"), f.val.get("Variables")
		if gv == nil || fv == nil || gv.kind != kindObject || fv.kind != kindObject {
			continue
		}
		vars := *fv
		vars.fields = nil
		for _, gf := range gv.fields {
			if _, set := fv.field(gf.key); !set {
				vars.fields = append(vars.fields, gf)
			}
		}
		vars.fields = append(vars.fields, fv.fields...)
		env := *f.val
		env.fields = nil
		for _, ef := range f.val.fields {
			if ef.key == "Variables" {
				ef.val = &vars
			}
			env.fields = append(env.fields, ef)
		}
		for i := range out.fields {
			if out.fields[i].key == "Environment" {
				out.fields[i].val = &env
			}
		}
	}
	return &out
}
