package cloudformation

import (
	"sort"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/zclconf/go-cty/cty"
)

// valKind tells what an evaluated template value is.
type valKind uint8

const (
	// kindScalar holds its value in v, known or not. Values that functions
	// compute as a whole (Fn::GetAZs, an unknown Fn::If) are scalars too,
	// whatever their type.
	kindScalar valKind = iota
	kindObject
	kindList
	// kindNoValue is Ref AWS::NoValue: the property or element is removed.
	kindNoValue
)

// val is an evaluated template value. Mappings and sequences keep their
// members as vals rather than one cty value so that the adapter can give
// each nested attribute or block the lines it is written on.
type val struct {
	kind   valKind
	v      cty.Value
	fields []field
	elems  []*val
	// start and end are the lines the value is written on.
	start, end int
	// refs are the base addresses of the resources this value (not its
	// members) refers to.
	refs []string
	// tmpl is, for an unknown string that Fn::Sub or Fn::Join built from
	// literal text (or a string holding a dynamic reference), that text
	// with each unknown part replaced by unknownPart: see
	// model.Attribute.Template.
	tmpl string
}

// unknownPart stands in val.tmpl for a part whose value is not known.
const unknownPart = "\x00"

// templateVal is an unknown string whose known text is tmpl.
func templateVal(tmpl string, refs ...string) *val {
	v := unknownString(refs...)
	v.tmpl = tmpl
	return v
}

// part is the text v contributes to a template: its known string, the
// known text of an unknown one, or unknownPart.
func (v *val) part() string {
	if s, ok := v.str(); ok {
		return s
	}
	if v.kind == kindScalar && v.tmpl != "" {
		return v.tmpl
	}
	return unknownPart
}

// field is one key of a mapping, with the line the key is on.
type field struct {
	key  string
	line int
	val  *val
}

func scalarVal(v cty.Value, refs ...string) *val {
	return &val{kind: kindScalar, v: v, refs: refs}
}

func unknownVal(refs ...string) *val { return scalarVal(cty.DynamicVal, refs...) }

func unknownString(refs ...string) *val { return scalarVal(cty.UnknownVal(cty.String), refs...) }

// field returns the last member named key of an object: CloudFormation,
// like JSON parsers, keeps the last of duplicate keys.
func (v *val) field(key string) (field, bool) {
	if v == nil || v.kind != kindObject {
		return field{}, false
	}
	for i := len(v.fields) - 1; i >= 0; i-- {
		if v.fields[i].key == key {
			return v.fields[i], true
		}
	}
	return field{}, false
}

// get returns the member named key of an object, or nil.
func (v *val) get(key string) *val {
	f, ok := v.field(key)
	if !ok {
		return nil
	}
	return f.val
}

// unknown reports whether the value is not known at all (it may still be
// an object or list whose members are partly unknown: that is not this).
func (v *val) unknown() bool {
	return v != nil && v.kind == kindScalar && !v.v.IsKnown()
}

// str returns a known string (or number or bool) value.
func (v *val) str() (string, bool) {
	if v == nil || v.kind != kindScalar {
		return "", false
	}
	return model.AsString(v.v)
}

// value converts the value to cty: objects become objects, sequences
// tuples.
func (v *val) value() cty.Value {
	if v == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	switch v.kind {
	case kindObject:
		if len(v.fields) == 0 {
			return cty.EmptyObjectVal
		}
		m := make(map[string]cty.Value, len(v.fields))
		for _, f := range v.fields {
			m[f.key] = f.val.value()
		}
		return cty.ObjectVal(m)
	case kindList:
		if len(v.elems) == 0 {
			return cty.EmptyTupleVal
		}
		vs := make([]cty.Value, len(v.elems))
		for i, e := range v.elems {
			vs[i] = e.value()
		}
		return cty.TupleVal(vs)
	case kindNoValue:
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return v.v
}

// whollyKnown reports whether no part of the value is unknown.
func (v *val) whollyKnown() bool {
	switch v.kind {
	case kindObject:
		for _, f := range v.fields {
			if !f.val.whollyKnown() {
				return false
			}
		}
		return true
	case kindList:
		for _, e := range v.elems {
			if !e.whollyKnown() {
				return false
			}
		}
		return true
	case kindNoValue:
		return true
	}
	return v.v.IsWhollyKnown()
}

// allRefs lists the resources the value and its members refer to, sorted.
func (v *val) allRefs() []string {
	seen := map[string]bool{}
	var walk func(*val)
	walk = func(v *val) {
		for _, r := range v.refs {
			seen[r] = true
		}
		for _, f := range v.fields {
			walk(f.val)
		}
		for _, e := range v.elems {
			walk(e)
		}
	}
	walk(v)
	if len(seen) == 0 {
		return nil
	}
	out := make([]string, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// at returns a shallow copy of v placed on the given lines: the result of
// a function is written where the function call is, whatever lines its
// operands came from (a parameter default, a mapping).
func (v *val) at(start, end int) *val {
	c := *v
	c.start, c.end = start, end
	return &c
}

// list returns the members of a list value, whether written as a sequence
// or computed (Fn::Split, a CommaDelimitedList parameter). ok is false when
// the value is not a known list.
func (v *val) list() ([]*val, bool) {
	switch v.kind {
	case kindList:
		return v.elems, true
	case kindScalar:
		if !v.v.IsKnown() || v.v.IsNull() {
			return nil, false
		}
		ty := v.v.Type()
		if !(ty.IsListType() || ty.IsTupleType() || ty.IsSetType()) {
			return nil, false
		}
		var out []*val
		for it := v.v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, &val{kind: kindScalar, v: e, start: v.start, end: v.end, refs: v.refs})
		}
		return out, true
	}
	return nil, false
}
