package cloudformation

import (
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"gopkg.in/yaml.v3"
)

// tri is a condition's value: true, false, or not known before deploy.
type tri int8

const (
	triUnknown tri = iota
	triFalse
	triTrue
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// condition evaluates a named condition of the Conditions section, once.
func (e *evaluator) condition(name string, depth int) tri {
	if t, ok := e.condVals[name]; ok {
		return t
	}
	n := e.conds[name]
	if n == nil || e.condBusy[name] {
		return triUnknown // undefined or circular: CloudFormation rejects both
	}
	e.condBusy[name] = true
	t := e.condExpr(n, depth+1)
	delete(e.condBusy, name)
	e.condVals[name] = t
	return t
}

// condExpr evaluates a condition expression, where {Condition: name} names
// another condition.
func (e *evaluator) condExpr(n *yaml.Node, depth int) tri {
	if e.spend(depth) {
		return triUnknown
	}
	n = resolve(n)
	if fn, arg, ok := intrinsic(n); ok {
		switch fn {
		case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition":
			return e.condCall(fn, arg, depth+1)
		}
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 && resolve(n.Content[0]).Value == "Condition" {
		return e.condCall("Condition", n.Content[1], depth+1)
	}
	v := e.eval(n, depth+1)
	if v.kind == kindScalar {
		if b, ok := model.AsBool(v.v); ok {
			return triOf(b)
		}
	}
	return triUnknown
}

func (e *evaluator) condCall(fn string, arg *yaml.Node, depth int) tri {
	switch fn {
	case "Condition":
		name, ok := e.eval(arg, depth).str()
		if !ok {
			return triUnknown
		}
		return e.condition(name, depth)
	case "Fn::Equals":
		_, items, ok := e.args(arg, depth, 2)
		if !ok {
			return triUnknown
		}
		return equal(items[0], items[1])
	case "Fn::Not":
		a := resolve(arg)
		if a.Kind != yaml.SequenceNode || len(a.Content) != 1 {
			return triUnknown
		}
		switch e.condExpr(a.Content[0], depth) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	case "Fn::And", "Fn::Or":
		a := resolve(arg)
		if a.Kind != yaml.SequenceNode || len(a.Content) == 0 {
			return triUnknown
		}
		// And is false as soon as one operand is false, Or true as soon as
		// one is true, whatever the unknown ones turn out to be.
		decisive, other := triFalse, triTrue
		if fn == "Fn::Or" {
			decisive, other = triTrue, triFalse
		}
		result := other
		for _, c := range a.Content {
			switch e.condExpr(c, depth) {
			case decisive:
				return decisive
			case triUnknown:
				result = triUnknown
			}
		}
		return result
	}
	return triUnknown
}

// equal compares two values as Fn::Equals does: as strings for scalars
// (so 80 equals "80"), structurally otherwise.
func equal(a, b *val) tri {
	if !a.whollyKnown() || !b.whollyKnown() {
		return triUnknown
	}
	if x, ok := a.str(); ok {
		if y, ok := b.str(); ok {
			return triOf(x == y)
		}
	}
	x, ok1 := jsonString(a)
	y, ok2 := jsonString(b)
	if !ok1 || !ok2 {
		return triUnknown
	}
	return triOf(x == y)
}
