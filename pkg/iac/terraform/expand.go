package terraform

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

type instance struct {
	key string    // address suffix: "[0]", `["a"]`, or ""
	kv  cty.Value // the index or key
	in  *inst
}

// expand evaluates count or for_each into instances. When the value is not
// known before apply there is one instance with key "" and count.index or
// each.* unknown, so that rules still see the body.
func (s *scope) expand(count, forEach hcl.Expression, what string) ([]instance, expandMode) {
	switch {
	case count != nil:
		return s.expandCount(count, what)
	case forEach != nil:
		return s.expandForEach(forEach, what)
	}
	return []instance{{}}, single
}

func unknownCount() ([]instance, expandMode) {
	in := &inst{count: cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)}), each: cty.NilVal}
	return []instance{{in: in}}, unknownExpansion
}

func unknownEach() ([]instance, expandMode) {
	in := &inst{count: cty.NilVal, each: cty.ObjectVal(map[string]cty.Value{
		"key":   cty.UnknownVal(cty.String),
		"value": cty.DynamicVal,
	})}
	return []instance{{in: in}}, unknownExpansion
}

func (s *scope) expandCount(expr hcl.Expression, what string) ([]instance, expandMode) {
	v, _ := s.eval(expr, nil)
	if !v.IsKnown() {
		return unknownCount()
	}
	rng := expr.Range()
	if v.IsNull() {
		s.r.errorf(rng, "Invalid count argument for %s: the value must not be null", what)
		return unknownCount()
	}
	nv, err := convert.Convert(v, cty.Number)
	if err != nil {
		s.r.errorf(rng, "Invalid count argument for %s: %v", what, err)
		return unknownCount()
	}
	if !nv.IsKnown() {
		return unknownCount()
	}
	bf := nv.AsBigFloat()
	n, acc := bf.Int64()
	if !bf.IsInt() || acc != big.Exact || n < 0 {
		s.r.errorf(rng, "Invalid count argument for %s: must be a whole number, zero or more", what)
		return unknownCount()
	}
	if n > maxInstances {
		s.r.errorf(rng, "count for %s is %d, more than the %d instances fixity evaluates; treated as unknown", what, n, maxInstances)
		return unknownCount()
	}
	out := make([]instance, n)
	for i := range out {
		idx := cty.NumberIntVal(int64(i))
		out[i] = instance{
			key: "[" + strconv.Itoa(i) + "]",
			kv:  idx,
			in:  &inst{count: cty.ObjectVal(map[string]cty.Value{"index": idx}), each: cty.NilVal},
		}
	}
	return out, counted
}

func (s *scope) expandForEach(expr hcl.Expression, what string) ([]instance, expandMode) {
	v, tree := s.evalFlowing(expr, nil)
	insts, mode := s.forEachInstances(expr, v, what)
	if tree != nil {
		for _, in := range insts {
			k := in.kv
			if k == cty.NilVal {
				k = cty.DynamicVal // unknown expansion
			}
			if t := iterTree(tree, k); t != nil {
				in.in.trees = map[string]*refTree{"each": t}
			}
		}
	}
	return insts, mode
}

func (s *scope) forEachInstances(expr hcl.Expression, v cty.Value, what string) ([]instance, expandMode) {
	if !v.IsKnown() {
		return unknownEach()
	}
	rng := expr.Range()
	if v.IsNull() {
		s.r.errorf(rng, "Invalid for_each argument for %s: the value must not be null", what)
		return unknownEach()
	}
	ty := v.Type()
	switch {
	case ty.IsMapType() || ty.IsObjectType():
	case ty.IsSetType():
		if !v.IsWhollyKnown() {
			return unknownEach()
		}
		if !ty.ElementType().Equals(cty.String) {
			sv, err := convert.Convert(v, cty.Set(cty.String))
			if err != nil {
				s.r.errorf(rng, "Invalid for_each argument for %s: a set must hold strings", what)
				return unknownEach()
			}
			v = sv
		}
	default:
		s.r.errorf(rng, "Invalid for_each argument for %s: must be a map, or set of strings, and you have provided a value of type %s", what, ty.FriendlyName())
		return unknownEach()
	}
	if v.LengthInt() > maxInstances {
		s.r.errorf(rng, "for_each for %s has %d elements, more than the %d instances fixity evaluates; treated as unknown", what, v.LengthInt(), maxInstances)
		return unknownEach()
	}
	out := make([]instance, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		if !k.IsKnown() || k.IsNull() {
			return unknownEach()
		}
		key := k.AsString()
		if ty.IsSetType() {
			ev = k
		}
		kv := cty.StringVal(key)
		out = append(out, instance{
			key: fmt.Sprintf("[%q]", key),
			kv:  kv,
			in: &inst{count: cty.NilVal, each: cty.ObjectVal(map[string]cty.Value{
				"key":   kv,
				"value": ev,
			})},
		})
	}
	return out, keyed
}
