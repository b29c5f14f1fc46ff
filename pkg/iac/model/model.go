// Package model is the normalized shape of infrastructure code that rules
// look at. Every input format is evaluated into Resources made of Blocks and
// Attributes, each carrying the exact source range it came from.
//
// The vocabulary is the Terraform AWS provider's resource schema (resource
// types such as aws_security_group, attribute names such as from_port): it is
// the most complete public description of AWS resources, and adapters for
// other formats map into it so that a rule is written once.
package model

import (
	"sort"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/zclconf/go-cty/cty"
)

// Range is a span of lines in a file relative to the scan root.
type Range = finding.Range

// Mode tells managed resources from data sources.
type Mode int

const (
	Managed Mode = iota
	Data
)

// Resource is one evaluated resource instance: after count and for_each
// expansion there is one Resource per instance.
type Resource struct {
	Mode Mode
	// Type is the resource type, e.g. "aws_security_group".
	Type string
	// Name is the resource name label, e.g. "web".
	Name string
	// Module is the module path, e.g. "module.net.module.sg[0]"; empty for the root module.
	Module string
	// Key is the instance key suffix, e.g. "[0]" or `["a"]`; empty without count or for_each.
	Key string
	// Range covers the whole resource block.
	Range Range
	// Body holds the evaluated attributes and nested blocks.
	Body *Block
	// Format is the language the resource was written in: "terraform",
	// "cloudformation", "kubernetes" or "dockerfile".
	Format string
	// Label is how the resource's own format names it, e.g.
	// "WebServerGroup (AWS::EC2::SecurityGroup)" or "prod/Deployment/web";
	// empty for Terraform, whose address is the name.
	Label string
	// Root is the unit the resource was evaluated in, relative to the scan
	// root: a Terraform root module's directory, a CloudFormation template,
	// a manifest file. References never cross it (see State.Isolate).
	Root string

	// scope qualifies BaseAddress once Isolate has qualified references.
	scope string
}

// Address is the full address, e.g. `module.net.aws_security_group.web["a"]`,
// or the Label for formats that have one.
func (r *Resource) Address() string {
	if r.Label != "" {
		return r.Label
	}
	return r.Module + r.localPrefix() + r.Key
}

// BaseAddress is the address without the instance key, the form references
// take in Attribute.Refs.
func (r *Resource) BaseAddress() string {
	if r.scope != "" {
		return r.scope + ":" + r.Module + r.localPrefix()
	}
	return r.Module + r.localPrefix()
}

func (r *Resource) localPrefix() string {
	var b strings.Builder
	if r.Module != "" {
		b.WriteByte('.')
	}
	if r.Mode == Data {
		b.WriteString("data.")
	}
	b.WriteString(r.Type)
	b.WriteByte('.')
	b.WriteString(r.Name)
	return b.String()
}

// Isolate keeps references inside the unit that made them when a state
// holds several: two root modules (or two templates) may both declare
// aws_s3_bucket.logs, and the versioning resource of one must not count for
// the bucket of the other. It qualifies every reference and base address
// with the resource's Root. Call it once, before any lookup.
func (s *State) Isolate() {
	if s.isolated {
		return
	}
	s.isolated = true
	roots := map[string]bool{}
	for _, r := range s.Resources {
		roots[r.Root] = true
	}
	if len(roots) < 2 {
		return
	}
	for _, r := range s.Resources {
		r.scope = r.Root
		if r.scope == "" {
			r.scope = "."
		}
		qualify(r.Body, r.scope+":")
	}
}

func qualify(b *Block, prefix string) {
	if b == nil {
		return
	}
	for _, a := range b.Attrs {
		if len(a.Refs) == 0 {
			continue
		}
		refs := make([]string, len(a.Refs))
		for i, ref := range a.Refs {
			refs[i] = prefix + ref
		}
		a.Refs = refs
	}
	for _, c := range b.Blocks {
		qualify(c, prefix)
	}
}

// Attr returns the named top-level attribute, or nil.
func (r *Resource) Attr(name string) *Attribute { return r.Body.Attr(name) }

// Block is a body: a resource body or a nested block such as "ingress".
type Block struct {
	// Type is the block type ("ingress"); empty for a resource body.
	Type   string
	Labels []string
	Range  Range
	Attrs  map[string]*Attribute
	Blocks []*Block
	// Seq is true for a block that was one element of a list of objects
	// (a Kubernetes container), false for one that was an object of its own
	// (a securityContext); JSON consumers need the difference.
	Seq bool
}

// Attr returns the named attribute, or nil when it is not set. A nil *Block
// has no attributes, so chains such as b.Block("x").Attr("y") are safe.
func (b *Block) Attr(name string) *Attribute {
	if b == nil {
		return nil
	}
	return b.Attrs[name]
}

// Blocks returns the nested blocks of the given type, in source order.
//
// Terraform lets many nested blocks also be written as attributes
// (`ingress = [{...}]`), and JSON syntax cannot tell the two apart, so an
// attribute of that name holding an object or a list of objects is returned
// as blocks too; their attributes carry the attribute's range.
func (b *Block) BlocksOf(typ string) []*Block {
	if b == nil {
		return nil
	}
	var out []*Block
	for _, c := range b.Blocks {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	if a := b.Attrs[typ]; a != nil {
		out = append(out, a.asBlocks(typ)...)
	}
	return out
}

// Block returns the first nested block of the given type, or nil.
func (b *Block) Block(typ string) *Block {
	bs := b.BlocksOf(typ)
	if len(bs) == 0 {
		return nil
	}
	return bs[0]
}

// Attribute is one evaluated attribute. Value may be unknown (known only
// after apply): rules must not guess about unknown values.
type Attribute struct {
	Name  string
	Value cty.Value
	Range Range
	// Refs are the base addresses of the resources and data sources the
	// expression refers to, e.g. "aws_s3_bucket.logs" or
	// "module.net.aws_vpc.main", so rules can link resources whose ids are
	// unknown before apply.
	Refs []string
	// Decoded holds, for an attribute written as jsonencode(x) or yamlencode(x), the value of x before
	// encoding: it stays partly known when the encoded string cannot be. cty.NilVal otherwise.
	Decoded cty.Value
	// Template holds, for a string attribute whose value is unknown but
	// which is built from literal text and expressions (a Terraform
	// template or heredoc, a CloudFormation Fn::Sub or Fn::Join), the text
	// with each part that is not known replaced by "\x00". Rules that read
	// text for secrets read it; "" otherwise.
	//
	// One unknown piece (the region, an instance ID) makes the whole
	// string unknown, yet the literal text around it is what will be
	// deployed: an access key next to ${var.region} is known to be there.
	// Encodings are left out (base64encode(x), Fn::Base64 keep the text of
	// x), and "\x00" never matches what a rule looks for, so a rule reading
	// Template sees only what is known and guesses nothing about the rest.
	Template string
	// Keys holds, for a value written as an object or map literal (a
	// Terraform { ... }, a CloudFormation mapping), the range of each
	// key: value item, by key, so that a finding about one entry (one
	// environment variable) can point at its line rather than at the whole
	// map. An item's range is where it is written, which may lie outside
	// Range when the format merges it in (a SAM Globals variable). Items
	// whose key is computed are left out; nil for any other value. Read it
	// through KeyRange.
	Keys map[string]Range
}

// KeyRange returns the range of the item written for key k of an object
// or map literal, or the attribute's own range when there is none (the
// value is not a literal, the key is computed or absent).
func (a *Attribute) KeyRange(k string) Range {
	if a == nil {
		return Range{}
	}
	if r, ok := a.Keys[k]; ok {
		return r
	}
	return a.Range
}

// Known reports whether the attribute is set to a wholly known, non-null value.
func (a *Attribute) Known() bool {
	return a != nil && a.Value.IsWhollyKnown() && !a.Value.IsNull()
}

// String returns the value as a string when it is a known string (or a
// known number or bool, converted as Terraform would).
func (a *Attribute) String() (string, bool) {
	if a == nil {
		return "", false
	}
	return AsString(a.Value)
}

// Bool returns the value as a bool when known. Terraform accepts "true" and
// "false" strings for bools, and so does this.
func (a *Attribute) Bool() (bool, bool) {
	if a == nil {
		return false, false
	}
	return AsBool(a.Value)
}

// Int returns the value as an integer when known.
func (a *Attribute) Int() (int64, bool) {
	if a == nil {
		return 0, false
	}
	return AsInt(a.Value)
}

// Strings returns the known string elements of a list, set or tuple
// attribute; a single string yields a one-element slice. The second result
// is false if any element is unknown, so a rule can tell "no bad element" from
// "cannot tell".
func (a *Attribute) Strings() ([]string, bool) {
	if a == nil {
		return nil, false
	}
	return AsStrings(a.Value)
}

// RefersTo reports whether the attribute's expression refers to the resource.
func (a *Attribute) RefersTo(r *Resource) bool {
	if a == nil {
		return false
	}
	base := r.BaseAddress()
	for _, ref := range a.Refs {
		if ref == base {
			return true
		}
	}
	return false
}

// RefersToType reports whether the expression refers to a managed resource
// of any of the given types.
func (a *Attribute) RefersToType(types ...string) bool {
	if a == nil {
		return false
	}
	for _, ref := range a.Refs {
		if t, data := RefType(ref); !data {
			for _, want := range types {
				if t == want {
					return true
				}
			}
		}
	}
	return false
}

func (a *Attribute) asBlocks(typ string) []*Block {
	v := a.Value
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty.IsObjectType() || ty.IsMapType():
		return []*Block{a.objectBlock(typ, v)}
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		var out []*Block
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			if ev.IsNull() || !ev.IsKnown() {
				continue
			}
			et := ev.Type()
			if et.IsObjectType() || et.IsMapType() {
				out = append(out, a.objectBlock(typ, ev))
			}
		}
		return out
	}
	return nil
}

func (a *Attribute) objectBlock(typ string, v cty.Value) *Block {
	b := &Block{Type: typ, Range: a.Range, Attrs: map[string]*Attribute{}}
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		name := k.AsString()
		b.Attrs[name] = &Attribute{Name: name, Value: ev, Range: a.Range, Refs: a.Refs}
	}
	return b
}

// State is everything a scan evaluated: the input to rules.
type State struct {
	Resources []*Resource
	// Files is every file read, relative to the scan root.
	Files  []string
	Errors []finding.Error
	Notes  []finding.Note

	idx      index
	derived  derived
	isolated bool
}

// OfType returns the managed resources of any of the given types, in load
// order per type. The slice may be shared: don't modify it.
func (s *State) OfType(types ...string) []*Resource {
	return s.filter(Managed, types)
}

// InRoot returns the managed resources of the given types declared in one
// Root: the scope of account-wide settings such as EBS encryption by
// default, which hold for the configuration that declares them and say
// nothing about another root module's account.
func (s *State) InRoot(root string, types ...string) []*Resource {
	var out []*Resource
	for _, r := range s.OfType(types...) {
		if r.Root == root {
			out = append(out, r)
		}
	}
	return out
}

// DataOfType returns the data sources of any of the given types.
func (s *State) DataOfType(types ...string) []*Resource {
	return s.filter(Data, types)
}

func (s *State) filter(mode Mode, types []string) []*Resource {
	if len(types) == 1 {
		return s.ofType(mode, types[0])
	}
	var out []*Resource
	for _, t := range types {
		out = append(out, s.ofType(mode, t)...)
	}
	return out
}

// Referring returns the managed resources of type typ whose attribute attr
// refers to target, e.g. the aws_s3_bucket_versioning whose "bucket" is
// aws_s3_bucket.logs.id. References are full addresses, so this holds across
// module boundaries. A resource whose attr holds the same known value as
// target's matchAttr (for example the bucket name) also counts, for
// configurations that link by literal name.
func (s *State) Referring(target *Resource, typ, attr, matchAttr string) []*Resource {
	return s.Links(typ, attr).To(target, matchAttr)
}

// SortResources orders resources by file, line and address, the order
// reports want.
func SortResources(rs []*Resource) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Range.File != b.Range.File {
			return a.Range.File < b.Range.File
		}
		if a.Range.StartLine != b.Range.StartLine {
			return a.Range.StartLine < b.Range.StartLine
		}
		return a.Address() < b.Address()
	})
}
