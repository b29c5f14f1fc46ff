package cloudformation

import (
	"strings"

	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// An adapter maps one CloudFormation resource type to the Terraform
// resource type(s) the rules read. Most of the mapping is declared as a
// spec: which property becomes which attribute or nested block. What does
// not fit a table (S3 settings Terraform keeps in separate resources, IAM
// policies attached to users) is done by an extra function.
type adapter struct {
	// typ is the Terraform type of the primary resource.
	typ string
	// typeOf picks the primary type from the raw properties when it
	// depends on them; it must not evaluate anything.
	typeOf func(props *yaml.Node) string
	spec   *spec
	// extra adds synthesized resources, or attributes a spec cannot
	// describe; props may be unknown.
	extra func(c *conv, res *model.Resource, props *val)
}

// spec describes how a CloudFormation object fills a Terraform body.
type spec struct {
	attrs  []attrSpec
	blocks []blockSpec
	// flatten names nested objects whose properties belong in the same
	// Terraform body (LaunchTemplate's LaunchTemplateData).
	flatten []blockSpec
}

// attrSpec maps property cfn to attribute tf, converting the value with
// conv when set. Policy documents are JSON-encoded.
type attrSpec struct {
	tf, cfn string
	conv    func(*val) cty.Value
	policy  bool
}

// blockSpec maps property cfn (an object, or a list of objects) to nested
// blocks of type tf.
type blockSpec struct {
	tf, cfn string
	spec    *spec
}

func prop(tf, cfn string) attrSpec { return attrSpec{tf: tf, cfn: cfn} }

func propConv(tf, cfn string, conv func(*val) cty.Value) attrSpec {
	return attrSpec{tf: tf, cfn: cfn, conv: conv}
}

func propPolicy(tf, cfn string) attrSpec { return attrSpec{tf: tf, cfn: cfn, policy: true} }

func nested(tf, cfn string, sp *spec) blockSpec { return blockSpec{tf: tf, cfn: cfn, spec: sp} }

// conv builds the model resources of one declaration.
type conv struct {
	t   *template
	d   *decl
	out []*model.Resource
}

func (c *conv) label() string { return c.d.id + " (" + c.d.typ + ")" }

func (c *conv) rng(start, end int) model.Range {
	if end < start {
		end = start
	}
	return model.Range{File: c.t.rel, StartLine: start, EndLine: end}
}

func (c *conv) fieldRange(f field) model.Range { return c.rng(f.line, f.val.end) }

func (c *conv) valRange(v *val) model.Range { return c.rng(v.start, v.end) }

// newResource adds a resource of type typ; key tells apart several
// synthesized resources of one type made from one declaration.
func (c *conv) newResource(typ, key, label string, r model.Range) *model.Resource {
	res := &model.Resource{
		Mode:   model.Managed,
		Type:   typ,
		Name:   c.d.id,
		Key:    key,
		Range:  r,
		Body:   &model.Block{Range: r, Attrs: map[string]*model.Attribute{}},
		Format: "cloudformation",
		Label:  label,
		Root:   c.t.rel,
	}
	c.out = append(c.out, res)
	return res
}

// adapt builds the primary resource and whatever the adapter adds.
func (c *conv) adapt(props *val) []*model.Resource {
	ad := c.d.adapter
	r := c.rng(c.d.line, c.t.ev.endLine(c.d.node))
	res := c.newResource(c.d.tfType, "", c.label(), r)
	if ad.spec != nil {
		c.fill(res.Body, props, ad.spec)
	}
	if ad.extra != nil {
		ad.extra(c, res, props)
	}
	return c.out
}

func newBlock(typ string, r model.Range) *model.Block {
	return &model.Block{Type: typ, Range: r, Attrs: map[string]*model.Attribute{}}
}

// fill sets the attributes and blocks sp describes from the object obj.
func (c *conv) fill(blk *model.Block, obj *val, sp *spec) {
	// An object that is not known (an Fn::If on an undecided condition).
	if obj.unknown() {
		c.fillUnknown(blk, c.valRange(obj), obj.allRefs(), sp)
		return
	}
	if obj.kind != kindObject {
		return
	}
	for _, as := range sp.attrs {
		if f, ok := obj.field(as.cfn); ok {
			c.setAttr(blk, as, f)
		}
	}
	for _, bs := range sp.blocks {
		f, ok := obj.field(bs.cfn)
		if !ok {
			continue
		}
		switch {
		case f.val.kind == kindObject:
			child := newBlock(bs.tf, c.fieldRange(f))
			c.fill(child, f.val, bs.spec)
			blk.Blocks = append(blk.Blocks, child)
		case f.val.kind == kindList:
			for _, el := range f.val.elems {
				if el.kind != kindObject && !el.unknown() {
					continue
				}
				child := newBlock(bs.tf, c.valRange(el))
				c.fill(child, el, bs.spec)
				blk.Blocks = append(blk.Blocks, child)
			}
		case f.val.unknown():
			child := newBlock(bs.tf, c.fieldRange(f))
			c.fillUnknown(child, c.fieldRange(f), f.val.allRefs(), bs.spec)
			blk.Blocks = append(blk.Blocks, child)
		}
	}
	for _, fs := range sp.flatten {
		if f, ok := obj.field(fs.cfn); ok {
			c.fill(blk, f.val, fs.spec)
		}
	}
}

// fillUnknown fills a body whose source object is unknown: every attribute
// it could have is set to an unknown value, so rules about something
// missing stay silent instead of guessing.
func (c *conv) fillUnknown(blk *model.Block, r model.Range, refs []string, sp *spec) {
	for _, as := range sp.attrs {
		blk.Attrs[as.tf] = &model.Attribute{Name: as.tf, Value: cty.DynamicVal, Range: r, Refs: refs}
	}
	for _, bs := range sp.blocks {
		child := newBlock(bs.tf, r)
		c.fillUnknown(child, r, refs, bs.spec)
		blk.Blocks = append(blk.Blocks, child)
	}
	for _, fs := range sp.flatten {
		c.fillUnknown(blk, r, refs, fs.spec)
	}
}

// setAttr sets one attribute from a property.
func (c *conv) setAttr(blk *model.Block, as attrSpec, f field) *model.Attribute {
	at := &model.Attribute{Name: as.tf, Range: c.fieldRange(f), Refs: f.val.allRefs()}
	switch {
	case as.policy:
		at.Value, at.Decoded = policyValue(f.val)
	case as.conv != nil:
		at.Value = as.conv(f.val)
	default:
		at.Value = f.val.value()
		at.Template = textOf(f.val)
		at.Keys = keyRanges(c.t.rel, f.val)
	}
	blk.Attrs[as.tf] = at
	return at
}

// set sets attribute name to v, written on r.
func set(blk *model.Block, name string, v *val, r model.Range) *model.Attribute {
	at := &model.Attribute{Name: name, Value: v.value(), Range: r, Refs: v.allRefs(), Template: textOf(v),
		Keys: keyRanges(r.File, v)}
	blk.Attrs[name] = at
	return at
}

// keyRanges is model.Attribute.Keys for a mapping: the lines of each
// key: value item, from the key to the end of the value. An item keeps the
// lines it is written on when it came from elsewhere in the template (SAM
// Globals merged into a function's variables, a YAML alias), which is
// where it is to be fixed. Nil for any other value.
func keyRanges(file string, v *val) map[string]model.Range {
	if v.kind != kindObject || len(v.fields) == 0 {
		return nil
	}
	out := make(map[string]model.Range, len(v.fields))
	for _, f := range v.fields {
		if f.line <= 0 {
			continue
		}
		end := f.val.end
		if end < f.line {
			end = f.line
		}
		// The last of duplicate keys wins, as in field.
		out[f.key] = model.Range{File: file, StartLine: f.line, EndLine: end}
	}
	return out
}

// textOf is model.Attribute.Template for a value: the known text of an
// unknown string.
func textOf(v *val) string {
	if v.unknown() {
		return v.tmpl
	}
	return ""
}

// policyValue turns a policy document into the attribute value the IAM
// reader takes: the JSON text when it is wholly known, else an unknown
// string with the document itself as the decoded value. A document written
// as a JSON string (allowed for IAM) is kept as it is.
func policyValue(v *val) (value, decoded cty.Value) {
	if v.kind == kindScalar {
		return v.v, cty.NilVal
	}
	doc := v.value()
	if s, ok := jsonString(v); ok {
		return cty.StringVal(s), doc
	}
	return cty.UnknownVal(cty.String), doc
}

// Value conversions.

// asList makes a single string a one-element list: CidrIp becomes
// cidr_blocks.
func asList(v *val) cty.Value {
	x := v.value()
	if x.IsKnown() && !x.IsNull() && x.Type() == cty.String {
		return cty.TupleVal([]cty.Value{x})
	}
	return x
}

// cannedACL turns S3 AccessControl values (PublicRead) into the canned ACL
// names the API and Terraform use (public-read).
func cannedACL(v *val) cty.Value {
	s, ok := v.str()
	if !ok {
		return v.value()
	}
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return cty.StringVal(b.String())
}

// propKey reports whether a raw Properties mapping sets key.
func propKey(props *yaml.Node, key string) bool {
	return props != nil && mappingKeyLine(props, key) > 0
}
