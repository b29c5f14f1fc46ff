package model

import (
	"math/big"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// AsString returns a known string, number or bool as a string.
func AsString(v cty.Value) (string, bool) {
	if v.IsNull() || !v.IsKnown() {
		return "", false
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), true
	case cty.Bool:
		if v.True() {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// AsBool returns a known bool, accepting "true"/"false" strings.
func AsBool(v cty.Value) (bool, bool) {
	if v.IsNull() || !v.IsKnown() {
		return false, false
	}
	switch v.Type() {
	case cty.Bool:
		return v.True(), true
	case cty.String:
		switch strings.ToLower(v.AsString()) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// AsInt returns a known whole number, accepting numeric strings.
func AsInt(v cty.Value) (int64, bool) {
	if v.IsNull() || !v.IsKnown() {
		return 0, false
	}
	switch v.Type() {
	case cty.Number:
		bf := v.AsBigFloat()
		if !bf.IsInt() {
			return 0, false
		}
		return exactInt64(bf)
	case cty.String:
		bf, _, err := big.ParseFloat(strings.TrimSpace(v.AsString()), 10, 256, big.ToNearestEven)
		if err != nil || !bf.IsInt() {
			return 0, false
		}
		return exactInt64(bf)
	}
	return 0, false
}

// exactInt64 returns bf as an int64, or 0 and false when it does not fit:
// big.Float.Int64 clamps, and a clamped number is not the configured one.
func exactInt64(bf *big.Float) (int64, bool) {
	i, acc := bf.Int64()
	if acc != big.Exact {
		return 0, false
	}
	return i, true
}

// AsStrings returns the known string elements of a collection; a single
// string gives one element. ok is false when the value or any element is
// unknown or not a string.
func AsStrings(v cty.Value) ([]string, bool) {
	if v.IsNull() {
		return nil, true
	}
	if !v.IsKnown() {
		return nil, false
	}
	ty := v.Type()
	if ty == cty.String {
		return []string{v.AsString()}, true
	}
	if !(ty.IsListType() || ty.IsSetType() || ty.IsTupleType()) {
		return nil, false
	}
	out := make([]string, 0, v.LengthInt())
	ok := true
	for it := v.ElementIterator(); it.Next(); {
		_, ev := it.Element()
		s, good := AsString(ev)
		if !good {
			if !ev.IsNull() {
				ok = false
			}
			continue
		}
		out = append(out, s)
	}
	return out, ok
}

// Get walks into an object or map value by keys; missing keys give cty.NilVal
// (check with v == cty.NilVal) and unknown containers give an unknown value.
func Get(v cty.Value, keys ...string) cty.Value {
	for _, k := range keys {
		if v == cty.NilVal || v.IsNull() {
			return cty.NilVal
		}
		if !v.IsKnown() {
			return cty.DynamicVal
		}
		ty := v.Type()
		switch {
		case ty.IsObjectType():
			if !ty.HasAttribute(k) {
				return cty.NilVal
			}
			v = v.GetAttr(k)
		case ty.IsMapType():
			kv := cty.StringVal(k)
			if !v.HasIndex(kv).True() {
				return cty.NilVal
			}
			v = v.Index(kv)
		default:
			return cty.NilVal
		}
	}
	return v
}
