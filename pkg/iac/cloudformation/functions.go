package cloudformation

import (
	"math/big"
	"net/netip"
	"strings"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"gopkg.in/yaml.v3"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// jsonString encodes a wholly known value as CloudFormation would.
func jsonString(v *val) (string, bool) {
	if !v.whollyKnown() {
		return "", false
	}
	if s, ok := v.str(); ok && v.v.Type() == cty.String {
		return s, true
	}
	cv := v.value()
	if cv.IsNull() {
		return "null", true
	}
	b, err := ctyjson.Marshal(cv, cv.Type())
	if err != nil || len(b) > maxString {
		return "", false
	}
	return string(b), true
}

// sub evaluates Fn::Sub: "text ${Param} ${Res.Attr} ${!Literal}", or
// [text, {Var: value}]. When a variable is unknown, so is the result, but
// it keeps the text with the unknown parts marked (val.tmpl).
func (e *evaluator) sub(arg *yaml.Node, depth int) *val {
	a := resolve(arg)
	var tmpl *val
	vars := map[string]*val{}
	var refs []string
	_, _, isFn := intrinsic(a)
	if !isFn && (a.Kind == yaml.MappingNode || a.Kind == yaml.SequenceNode && len(a.Content) != 2) {
		e.reject(arg.Line, "Fn::Sub: want a string or [string, {Name: value}]")
	}
	if !isFn && a.Kind == yaml.SequenceNode {
		if len(a.Content) != 2 {
			return unknownString(e.eval(a, depth).allRefs()...)
		}
		tmpl = e.eval(a.Content[0], depth)
		m := e.eval(a.Content[1], depth)
		for _, f := range m.fields {
			vars[f.key] = f.val
		}
		refs = append(refs, m.allRefs()...)
	} else {
		tmpl = e.eval(a, depth)
	}
	s, ok := tmpl.str()
	known := ok
	if !ok && tmpl.unknown() && tmpl.tmpl != "" {
		// The text holds a dynamic reference: substitute around it.
		s, ok = tmpl.tmpl, true
	}
	if !ok {
		return unknownString(append(refs, tmpl.allRefs()...)...)
	}
	var b strings.Builder
	for len(s) > 0 {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, '}')
		if j < 0 {
			b.WriteString(s)
			break
		}
		inner := s[2:j]
		s = s[j+1:]
		if strings.HasPrefix(inner, "!") {
			b.WriteString("${" + inner[1:] + "}")
			continue
		}
		name := strings.TrimSpace(inner)
		v, ok := vars[name]
		switch {
		case ok:
		case strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::"):
			res, _, _ := strings.Cut(name, ".")
			v = e.getAtt(res)
		default:
			v = e.ref(name, depth)
		}
		if v.kind == kindNoValue {
			continue
		}
		refs = append(refs, v.allRefs()...)
		if _, ok := v.str(); !ok {
			known = false
		}
		b.WriteString(v.part())
		if b.Len() > maxString {
			return unknownString(refs...)
		}
	}
	e.computed(b.Len())
	if !known {
		return templateVal(b.String(), refs...)
	}
	return stringVal(b.String(), refs...)
}

// join evaluates Fn::Join [sep, list]; an unknown element makes the result
// unknown, keeping the text as sub does.
func (e *evaluator) join(arg *yaml.Node, depth int) *val {
	a, items, ok := e.args(arg, depth, 2)
	refs := a.allRefs()
	if !ok {
		return unknownString(refs...)
	}
	sep, ok1 := items[0].str()
	list, ok2 := items[1].list()
	if !ok1 || !ok2 {
		return unknownString(refs...)
	}
	var b strings.Builder
	known := true
	for i, it := range list {
		if _, ok := it.str(); !ok {
			known = false
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(it.part())
		if b.Len() > maxString {
			return unknownString(refs...)
		}
	}
	e.computed(b.Len())
	if !known {
		return templateVal(b.String(), refs...)
	}
	return stringVal(b.String(), refs...)
}

// findInMap looks a value up in Mappings; the optional fourth argument
// {DefaultValue: x} (AWS::LanguageExtensions) applies when a key is absent.
func (e *evaluator) findInMap(arg *yaml.Node, depth int) *val {
	a := e.eval(arg, depth)
	items, ok := a.list()
	if !ok || len(items) < 3 || len(items) > 4 {
		return unknownVal(a.allRefs()...)
	}
	var keys [3]string
	for i := range keys {
		s, ok := items[i].str()
		if !ok {
			return unknownVal(a.allRefs()...)
		}
		keys[i] = s
	}
	n := e.mappings
	for _, k := range keys {
		if n = mappingGet(n, k); n == nil {
			break
		}
	}
	if n != nil {
		return e.eval(n, depth)
	}
	if len(items) == 4 {
		if d := items[3].get("DefaultValue"); d != nil {
			return d
		}
	}
	return unknownVal(a.allRefs()...)
}

// fnIf picks a branch when its condition is known; otherwise the value is
// unknown but still refers to what either branch refers to.
func (e *evaluator) fnIf(arg *yaml.Node, depth int) *val {
	a := resolve(arg)
	if _, _, isFn := intrinsic(a); isFn || a.Kind != yaml.SequenceNode || len(a.Content) != 3 {
		e.reject(arg.Line, "Fn::If: want [condition, value if true, value if false]")
		return unknownVal(e.eval(a, depth).allRefs()...)
	}
	t := triUnknown
	if name, ok := e.eval(a.Content[0], depth).str(); ok {
		if _, defined := e.conds[name]; !defined {
			e.reject(a.Content[0].Line, "Fn::If: no condition named %q", name)
		}
		t = e.condition(name, depth)
	}
	switch t {
	case triTrue:
		return e.eval(a.Content[1], depth)
	case triFalse:
		return e.eval(a.Content[2], depth)
	}
	x, y := e.eval(a.Content[1], depth), e.eval(a.Content[2], depth)
	return unknownVal(append(x.allRefs(), y.allRefs()...)...)
}

// cidr evaluates Fn::Cidr [block, count, bits]: count consecutive subnets
// with bits host bits each.
func (e *evaluator) cidr(arg *yaml.Node, depth int) *val {
	a, items, ok := e.args(arg, depth, 3)
	unknown := scalarVal(cty.UnknownVal(cty.List(cty.String)), a.allRefs()...)
	if !ok {
		return unknown
	}
	block, ok1 := items[0].str()
	count, ok2 := model.AsInt(items[1].v)
	bits, ok3 := model.AsInt(items[2].v)
	if !ok1 || !ok2 || !ok3 || items[1].kind != kindScalar || items[2].kind != kindScalar {
		return unknown
	}
	subnets, ok := cidrSubnets(block, count, bits)
	if !ok {
		return unknown
	}
	out := &val{kind: kindList}
	for _, s := range subnets {
		out.elems = append(out.elems, stringVal(s))
	}
	return out
}

func cidrSubnets(block string, count, bits int64) ([]string, bool) {
	p, err := netip.ParsePrefix(strings.TrimSpace(block))
	if err != nil || count < 1 || count > 256 {
		return nil, false
	}
	p = p.Masked()
	total := int64(p.Addr().BitLen())
	newLen := total - bits
	if bits < 1 || newLen < int64(p.Bits()) {
		return nil, false
	}
	if room := newLen - int64(p.Bits()); room < 63 && count > int64(1)<<room {
		return nil, false
	}
	base := new(big.Int).SetBytes(p.Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(bits))
	out := make([]string, 0, count)
	for i := int64(0); i < count; i++ {
		n := new(big.Int).Add(base, new(big.Int).Mul(step, big.NewInt(i)))
		buf := make([]byte, total/8)
		n.FillBytes(buf)
		addr, ok := netip.AddrFromSlice(buf)
		if !ok {
			return nil, false
		}
		out = append(out, netip.PrefixFrom(addr, int(newLen)).String())
	}
	return out, true
}
