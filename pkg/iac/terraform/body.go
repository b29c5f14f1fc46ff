package terraform

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// metaArgs are arguments of resource, data and module blocks that belong to
// Terraform, not to the resource's body.
var metaArgs = map[string]bool{
	"count": true, "for_each": true, "provider": true, "depends_on": true,
}

// body evaluates a block body into a model.Block. top marks a resource
// body, where meta-arguments are dropped and lifecycle is kept in its
// static form.
func (s *scope) body(body hcl.Body, in *inst, top bool) *model.Block {
	b := &model.Block{Attrs: map[string]*model.Attribute{}}
	hb, ok := body.(*hclsyntax.Body)
	if !ok {
		s.jsonBody(b, body, in, top)
		return b
	}
	for _, a := range syntaxAttrs(hb) {
		if top && metaArgs[a.Name] {
			continue
		}
		b.Attrs[a.Name] = s.attr(a.Name, a.Expr, a.SrcRange, in)
	}
	for _, nb := range hb.Blocks {
		switch {
		case top && nb.Type == "lifecycle":
			b.Blocks = append(b.Blocks, s.lifecycle(nb))
		case nb.Type == "dynamic":
			b.Blocks = append(b.Blocks, s.dynamic(nb, in)...)
		case nb.Type == "provisioner" || nb.Type == "connection":
			c := s.body(nb.Body, in.withSelf(), false)
			s.setBlock(c, nb)
			b.Blocks = append(b.Blocks, c)
		default:
			c := s.body(nb.Body, in, false)
			s.setBlock(c, nb)
			b.Blocks = append(b.Blocks, c)
		}
	}
	return b
}

func (s *scope) setBlock(c *model.Block, nb *hclsyntax.Block) {
	c.Type = nb.Type
	c.Labels = append([]string(nil), nb.Labels...)
	c.Range = toRange(nb.Range())
}

func syntaxAttrs(hb *hclsyntax.Body) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(hb.Attributes))
	for _, a := range hb.Attributes {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SrcRange.Start.Byte < out[j].SrcRange.Start.Byte })
	return out
}

func (s *scope) attr(name string, expr hcl.Expression, rng hcl.Range, in *inst) *model.Attribute {
	if call := encodeCall(expr); call != nil {
		arg, refs := s.eval(call.Args[0], in)
		return &model.Attribute{Name: name, Value: s.encode(call, arg), Range: toRange(rng), Refs: refs, Decoded: arg}
	}
	v, refs := s.eval(expr, in)
	a := &model.Attribute{Name: name, Value: v, Range: toRange(rng), Refs: refs, Keys: keyRanges(expr)}
	if !v.IsKnown() {
		a.Template = s.templateText(expr, in)
	}
	return a
}

// keyRanges is model.Attribute.Keys: the range of each item of an object
// written literally, from its key to the end of its value. Items whose key
// is computed ((var.k), "${var.k}"; see staticKey) are left out. Anything
// that is not an object literal, which is most attributes, costs one type
// switch and yields nil.
func keyRanges(expr hcl.Expression) map[string]model.Range {
	switch e := expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		if len(e.Items) == 0 {
			return nil
		}
		out := make(map[string]model.Range, len(e.Items))
		for _, it := range e.Items {
			if k, ok := staticKey(it.KeyExpr); ok {
				out[k] = toRange(hcl.RangeBetween(it.KeyExpr.Range(), it.ValueExpr.Range()))
			}
		}
		return nonEmpty(out)
	case interface{ ExprMap() []hcl.KeyValuePair }:
		// JSON syntax: an object value; nil for anything else.
		pairs := e.ExprMap()
		if len(pairs) == 0 {
			return nil
		}
		out := make(map[string]model.Range, len(pairs))
		for _, p := range pairs {
			// Without a context a JSON string is read literally; with one,
			// a key holding an interpolation is computed.
			kv, diags := p.Key.Value(nil)
			if diags.HasErrors() || kv.Type() != cty.String || kv.IsNull() || !kv.IsKnown() {
				continue
			}
			k := kv.AsString()
			if strings.Contains(k, "${") || strings.Contains(k, "%{") {
				continue
			}
			out[k] = toRange(hcl.RangeBetween(p.Key.Range(), p.Value.Range()))
		}
		return nonEmpty(out)
	}
	return nil
}

func nonEmpty(m map[string]model.Range) map[string]model.Range {
	if len(m) == 0 {
		return nil
	}
	return m
}

// encodeCall returns the call when an attribute is written as
// jsonencode(x) or yamlencode(x) (or "${jsonencode(x)}"). Such an
// attribute is evaluated in two steps, so that model.Attribute.Decoded
// keeps x: the encoded string is unknown as soon as any part of x is (an
// ARN in one statement of a policy), while x stays readable.
func encodeCall(expr hcl.Expression) *hclsyntax.FunctionCallExpr {
	if w, ok := expr.(*hclsyntax.TemplateWrapExpr); ok {
		expr = w.Wrapped
	}
	call, ok := expr.(*hclsyntax.FunctionCallExpr)
	if !ok || len(call.Args) != 1 || call.ExpandFinal {
		return nil
	}
	switch call.Name {
	case "jsonencode", "yamlencode":
		return call
	}
	return nil
}

// encode calls the encoding function on its evaluated argument, reporting
// a failure as HCL does.
func (s *scope) encode(call *hclsyntax.FunctionCallExpr, arg cty.Value) (out cty.Value) {
	rng := call.Range()
	defer func() {
		if p := recover(); p != nil {
			s.r.errorf(rng, "Evaluation failed: %v", p)
			out = cty.DynamicVal
		}
	}()
	f, ok := s.r.funcCtx.Functions[call.Name]
	if !ok {
		return cty.DynamicVal
	}
	v, err := f.Call([]cty.Value{arg})
	if err != nil {
		s.r.errorf(rng, "Error in function call: Call to function %q failed: %v.", call.Name, err)
		return cty.DynamicVal
	}
	if v.IsMarked() {
		v, _ = v.Unmark()
	}
	return v
}

// jsonBody fills b from a JSON body. JSON cannot tell nested blocks from
// attributes without a schema, so nested blocks stay object-valued
// attributes (model.Block.BlocksOf reads them as blocks).
func (s *scope) jsonBody(b *model.Block, body hcl.Body, in *inst, top bool) {
	attrs, diags := body.JustAttributes()
	if diags.HasErrors() && len(attrs) == 0 {
		s.r.out.errs = append(s.r.out.errs, diagErrors(diags, "")...)
	}
	for _, a := range sortedAttrs(attrs) {
		switch {
		case top && metaArgs[a.Name]:
		case top && a.Name == "lifecycle":
			b.Blocks = append(b.Blocks, s.jsonLifecycle(a))
		case a.Name == "dynamic":
			// Expanding JSON dynamic blocks needs the provider schema.
		default:
			b.Attrs[a.Name] = s.attr(a.Name, a.Expr, a.Range, in)
		}
	}
}

// lifecycle keeps the lifecycle block. ignore_changes and
// replace_triggered_by hold references that are never evaluated, so their
// value is the list of the references as written (or "all").
func (s *scope) lifecycle(nb *hclsyntax.Block) *model.Block {
	lb := &model.Block{Type: "lifecycle", Range: toRange(nb.Range()), Attrs: map[string]*model.Attribute{}}
	for _, a := range syntaxAttrs(nb.Body) {
		lb.Attrs[a.Name] = s.lifecycleAttr(a.Name, a.Expr, a.SrcRange)
	}
	return lb
}

func (s *scope) jsonLifecycle(a *hcl.Attribute) *model.Block {
	lb := &model.Block{Type: "lifecycle", Range: toRange(a.Range), Attrs: map[string]*model.Attribute{}}
	pairs, diags := hcl.ExprMap(a.Expr)
	if diags.HasErrors() {
		s.r.out.errs = append(s.r.out.errs, diagErrors(diags, a.Range.Filename)...)
		return lb
	}
	for _, p := range pairs {
		name := hcl.ExprAsKeyword(p.Key)
		if name == "" {
			kv, d := p.Key.Value(nil)
			if d.HasErrors() || kv.Type() != cty.String || !kv.IsKnown() || kv.IsNull() {
				continue
			}
			name = kv.AsString()
		}
		lb.Attrs[name] = s.lifecycleAttr(name, p.Value, hcl.RangeBetween(p.Key.Range(), p.Value.Range()))
	}
	return lb
}

func (s *scope) lifecycleAttr(name string, expr hcl.Expression, rng hcl.Range) *model.Attribute {
	switch name {
	case "ignore_changes", "replace_triggered_by":
		return &model.Attribute{Name: name, Value: s.staticRefs(expr), Range: toRange(rng)}
	}
	return s.attr(name, expr, rng, nil)
}

// staticRefs reads a list of references without evaluating them:
// [ami, tags["Name"]] becomes ["ami", "tags[\"Name\"]"]; the keyword all
// becomes the string "all".
func (s *scope) staticRefs(expr hcl.Expression) cty.Value {
	if hcl.ExprAsKeyword(expr) == "all" {
		return cty.StringVal("all")
	}
	exprs, diags := hcl.ExprList(expr)
	if diags.HasErrors() {
		v, d := expr.Value(nil)
		if !d.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
			return v // "all" written as a string
		}
		s.r.out.errs = append(s.r.out.errs, diagErrors(diags, expr.Range().Filename)...)
		return cty.DynamicVal
	}
	out := make([]cty.Value, 0, len(exprs))
	for _, e := range exprs {
		if t, d := hcl.AbsTraversalForExpr(e); !d.HasErrors() {
			out = append(out, cty.StringVal(traversalString(t)))
			continue
		}
		if v, d := e.Value(nil); !d.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
			out = append(out, v) // the legacy quoted form
			continue
		}
		rng := e.Range()
		s.r.errorf(rng, "Invalid reference in lifecycle: a static reference to an attribute is required")
	}
	if len(out) == 0 {
		return cty.EmptyTupleVal
	}
	return cty.TupleVal(out)
}

// traversalString writes a traversal back as source: a.b[0]["k"].
func traversalString(t hcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch st := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(st.Name)
		case hcl.TraverseAttr:
			b.WriteByte('.')
			b.WriteString(st.Name)
		case hcl.TraverseIndex:
			k := st.Key
			switch {
			case !k.IsKnown() || k.IsNull():
				b.WriteString("[?]")
			case k.Type() == cty.String:
				fmt.Fprintf(&b, "[%q]", k.AsString())
			case k.Type() == cty.Number:
				b.WriteString("[" + k.AsBigFloat().Text('f', -1) + "]")
			default:
				b.WriteString("[?]")
			}
		case hcl.TraverseSplat:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

// dynamic expands a dynamic block into one block per element of its
// for_each, each evaluated with the iterator bound. Nested dynamic blocks
// see the iterators of the blocks around them.
func (s *scope) dynamic(db *hclsyntax.Block, in *inst) []*model.Block {
	rng := db.Range()
	if len(db.Labels) != 1 {
		s.r.errorf(db.TypeRange, "Invalid dynamic block: one label, the block type, is required")
		return nil
	}
	typ := db.Labels[0]
	iter := typ
	attrs := db.Body.Attributes
	fe := attrs["for_each"]
	if fe == nil {
		s.r.errorf(db.TypeRange, "Invalid dynamic block: for_each is required")
		return nil
	}
	if a := attrs["iterator"]; a != nil {
		name := hcl.ExprAsKeyword(a.Expr)
		if name == "" {
			s.r.errorf(a.SrcRange, "Invalid dynamic iterator: must be a single name")
			return nil
		}
		iter = name
	}
	var content *hclsyntax.Block
	for _, c := range db.Body.Blocks {
		if c.Type == "content" {
			content = c
			break
		}
	}
	if content == nil {
		s.r.errorf(db.TypeRange, "Invalid dynamic block: a content block is required")
		return nil
	}
	labelsAttr := attrs["labels"]

	v, feTree := s.evalFlowing(fe.Expr, in)
	type item struct{ k, v cty.Value }
	var items []item
	switch {
	case !v.IsKnown():
		items = []item{{cty.DynamicVal, cty.DynamicVal}}
	case v.IsNull():
		s.r.errorf(fe.SrcRange, "Invalid dynamic for_each value: must not be null")
		return nil
	case !v.CanIterateElements():
		s.r.errorf(fe.SrcRange, "Invalid dynamic for_each value: cannot use a %s value in for_each; a collection is required", v.Type().FriendlyName())
		return nil
	default:
		if v.LengthInt() > maxInstances {
			s.r.errorf(fe.SrcRange, "dynamic %q has %d elements, more than the %d fixity evaluates; treated as unknown", typ, v.LengthInt(), maxInstances)
			items = []item{{cty.DynamicVal, cty.DynamicVal}}
			break
		}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			items = append(items, item{k, ev})
		}
	}
	out := make([]*model.Block, 0, len(items))
	for _, it := range items {
		in2 := in.withIter(iter, cty.ObjectVal(map[string]cty.Value{"key": it.k, "value": it.v}), iterTree(feTree, it.k))
		var labels []string
		if labelsAttr != nil {
			lv, _ := s.eval(labelsAttr.Expr, in2)
			labels, _ = model.AsStrings(lv)
		}
		b := s.body(content.Body, in2, false)
		b.Type = typ
		b.Labels = labels
		b.Range = toRange(rng)
		out = append(out, b)
	}
	return out
}
