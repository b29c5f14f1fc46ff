package terraform

import (
	"math/big"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Attribute.Refs lists what an attribute's own expression refers to. A
// value that flows on (a local, an output, a module input, a for_each
// collection) is often a structure whose parts refer to different things:
//
//	tiers = { web = { sgs = [aws_security_group.alb.id] }, bastion = { sgs = [] } }
//
// and each.value.sgs of the "bastion" instance refers to nothing. So such a
// value keeps a refTree: the references of each part, as far as the
// expression that built it shows the parts (object and tuple constructors,
// plain references), and the union of everything below for the rest. A
// reference walks the tree along its static steps (local.tiers.web.sgs),
// and stops at the first step the tree cannot follow, taking the union
// there: never less than the value holds, never something it cannot hold.

type treeKind uint8

const (
	leafTree   treeKind = iota // no parts known: all of it refers to all
	objectTree                 // an object constructor with static keys
	tupleTree                  // a tuple constructor
)

type refTree struct {
	kind  treeKind
	all   []string // every reference below, sorted and unique
	attrs map[string]*refTree
	elems []*refTree
}

func leafOf(refs []string) *refTree {
	if len(refs) == 0 {
		return nil
	}
	return &refTree{all: refs}
}

// refs returns every reference in the (sub)value; nil for a nil tree.
func (t *refTree) refs() []string {
	if t == nil {
		return nil
	}
	return t.all
}

// leaf forgets the parts.
func (t *refTree) leaf() *refTree {
	if t == nil || t.kind == leafTree {
		return t
	}
	return leafOf(t.all)
}

// at is the tree of one element: by attribute name or key of an object, by
// index of a tuple. A part the constructor did not write refers to nothing
// (an optional attribute's default, say).
func (t *refTree) at(key cty.Value) *refTree {
	if t == nil || t.kind == leafTree {
		return t
	}
	if !key.IsKnown() || key.IsNull() {
		return t.leaf()
	}
	switch t.kind {
	case objectTree:
		k, err := convert.Convert(key, cty.String)
		if err != nil {
			return t.leaf()
		}
		return t.attrs[k.AsString()]
	case tupleTree:
		n, err := convert.Convert(key, cty.Number)
		if err != nil {
			return t.leaf()
		}
		i, acc := n.AsBigFloat().Int64()
		if acc != big.Exact || i < 0 || i >= int64(len(t.elems)) {
			return t.leaf()
		}
		return t.elems[i]
	}
	return t.leaf()
}

func (t *refTree) attr(name string) *refTree {
	if t == nil || t.kind == leafTree {
		return t
	}
	if t.kind == objectTree {
		return t.attrs[name]
	}
	return t.leaf()
}

// walk follows the steps of a traversal from position from.
func (t *refTree) walk(tr hcl.Traversal, from int) *refTree {
	for i := from; i < len(tr) && t != nil && t.kind != leafTree; i++ {
		switch st := tr[i].(type) {
		case hcl.TraverseAttr:
			t = t.attr(st.Name)
		case hcl.TraverseIndex:
			t = t.at(st.Key)
		default:
			return t.leaf()
		}
	}
	return t
}

// iterTree is the tree of each (or a dynamic block's iterator) for the
// element of key k of a collection whose tree is t. Keys are written
// literally in a constructor, so each.key then refers to nothing; for any
// other collection it may come from anything the collection refers to.
func iterTree(t *refTree, k cty.Value) *refTree {
	if t == nil {
		return nil
	}
	var key *refTree
	if t.kind == leafTree {
		key = t
	}
	val := t.at(k)
	if key == nil && val == nil {
		return nil
	}
	return &refTree{
		kind:  objectTree,
		all:   unionRefs(key.refs(), val.refs()),
		attrs: map[string]*refTree{"key": key, "value": val},
	}
}

// buildTree makes the tree of an expression from the trees of the
// traversals it holds (travs[i] has trees[i]).
func buildTree(expr hcl.Expression, travs []hcl.Traversal, trees []*refTree) *refTree {
	switch e := expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		t := &refTree{kind: objectTree, attrs: make(map[string]*refTree, len(e.Items))}
		var all []string
		for _, item := range e.Items {
			key, ok := staticKey(item.KeyExpr)
			if !ok {
				return leafOf(refsWithin(expr.Range(), travs, trees))
			}
			c := buildTree(item.ValueExpr, travs, trees)
			t.attrs[key] = c
			all = append(all, c.refs()...)
		}
		t.all = uniqueSorted(all)
		return t
	case *hclsyntax.TupleConsExpr:
		t := &refTree{kind: tupleTree, elems: make([]*refTree, len(e.Exprs))}
		var all []string
		for i, x := range e.Exprs {
			c := buildTree(x, travs, trees)
			t.elems[i] = c
			all = append(all, c.refs()...)
		}
		t.all = uniqueSorted(all)
		return t
	case *hclsyntax.ScopeTraversalExpr:
		start := e.Traversal.SourceRange().Start.Byte
		for i, tr := range travs {
			if tr.SourceRange().Start.Byte == start {
				return trees[i]
			}
		}
	case *hclsyntax.TemplateWrapExpr:
		return buildTree(e.Wrapped, travs, trees)
	case *hclsyntax.ParenthesesExpr:
		return buildTree(e.Expression, travs, trees)
	}
	return leafOf(refsWithin(expr.Range(), travs, trees))
}

// staticKey is the key of an object constructor item when it is written
// as a name, a literal or a template without references.
func staticKey(expr hcl.Expression) (key string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	v, diags := expr.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", false
	}
	return s.AsString(), true
}

func refsWithin(rng hcl.Range, travs []hcl.Traversal, trees []*refTree) []string {
	var out []string
	for i, tr := range travs {
		r := tr.SourceRange()
		if r.Start.Byte >= rng.Start.Byte && r.End.Byte <= rng.End.Byte {
			out = append(out, trees[i].refs()...)
		}
	}
	return uniqueSorted(out)
}

func unionRefs(a, b []string) []string {
	switch {
	case len(a) == 0:
		return b
	case len(b) == 0:
		return a
	}
	return uniqueSorted(append(append([]string(nil), a...), b...))
}

// Resource attributes the configuration does not set are known only after
// apply, so a reference to one is unknown, never an error. A resource's
// value is an object holding its configured attributes and blocks; an
// expression that reads attributes of it directly (aws_subnet.a.id,
// aws_subnet.a[0].id, [for s in aws_subnet.a : s.id], values(aws_subnet.a)[0].id)
// gets unknown attributes of the names it reads (exprInfo.attrNames). A
// resource object that flows on (for_each = aws_subnet.a, a local, an output,
// a module input) can be read anywhere in the module tree, so it gets unknown
// attributes of every name read anywhere in the tree of modules of the run:
// a static list, computed once per module, that holds whatever a later
// each.value.id or var.subnet.arn may ask for. The alternatives were worse:
// cty has no open object type; an unknown object would lose the known
// attributes (each.value.bucket = "logs"); a fixed list of computed names
// (id, arn...) misses provider-specific ones.

// nameSet is the attribute names a module's expressions read, computed on
// first use: modules are shared between concurrent runs.
type nameSet struct {
	once  sync.Once
	names []string
}

// readNames returns every attribute name (and literal string index) a
// module's expressions read, sorted.
func (m *module) readNames() []string {
	ns := m.names
	if ns == nil {
		return nil
	}
	ns.once.Do(func() {
		seen := map[string]bool{}
		add := func(name string) {
			if name != "" && !seen[name] {
				seen[name] = true
				ns.names = append(ns.names, name)
			}
		}
		collect := func(node hclsyntax.Node) {
			addTraversalNames(node, add)
		}
		addExpr := func(e hcl.Expression) {
			if e != nil {
				exprNames(e, collect, add)
			}
		}
		for _, r := range m.resources {
			if hb, ok := r.body.(*hclsyntax.Body); ok {
				hclsyntax.VisitAll(hb, func(n hclsyntax.Node) hcl.Diagnostics {
					collect(n)
					return nil
				})
				continue
			}
			if r.body != nil {
				attrs, _ := r.body.JustAttributes()
				for _, a := range attrs {
					addExpr(a.Expr)
				}
			}
		}
		for _, l := range m.locals {
			addExpr(l.expr)
		}
		for _, o := range m.outputs {
			addExpr(o.expr)
		}
		for _, c := range m.calls {
			addExpr(c.count)
			addExpr(c.forEach)
			for _, a := range c.inputs {
				addExpr(a.Expr)
			}
		}
		sort.Strings(ns.names)
	})
	return ns.names
}

func exprNames(e hcl.Expression, collect func(hclsyntax.Node), add func(string)) {
	defer func() { _ = recover() }()
	if se, ok := e.(hclsyntax.Expression); ok {
		hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
			collect(n)
			return nil
		})
		return
	}
	for _, t := range e.Variables() {
		traversalNames(t, add)
	}
}

func addTraversalNames(n hclsyntax.Node, add func(string)) {
	switch e := n.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		traversalNames(e.Traversal, add)
	case *hclsyntax.RelativeTraversalExpr:
		traversalNames(e.Traversal, add)
	case *hclsyntax.IndexExpr:
		if lit, ok := e.Key.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			add(lit.Val.AsString())
		}
		if tpl, ok := e.Key.(*hclsyntax.TemplateExpr); ok && tpl.IsStringLiteral() {
			if v, diags := tpl.Value(nil); !diags.HasErrors() && v.IsKnown() && !v.IsNull() {
				add(v.AsString())
			}
		}
	}
}

func traversalNames(t hcl.Traversal, add func(string)) {
	for _, step := range t {
		switch st := step.(type) {
		case hcl.TraverseAttr:
			add(st.Name)
		case hcl.TraverseIndex:
			if k := st.Key; k.Type() == cty.String && k.IsKnown() && !k.IsNull() {
				add(k.AsString())
			}
		}
	}
}

// treeNames returns, once per run, the names every module of the run's
// module tree reads: the root module and, recursively, the modules its
// calls resolve to, whether or not evaluation reaches them.
func (r *run) treeNames() []string {
	if r.allNames != nil {
		return r.allNames
	}
	seen := map[string]bool{}
	var all []string
	visited := map[string]bool{}
	var visit func(m *module, key string, depth int)
	visit = func(m *module, key string, depth int) {
		if m == nil || visited[m.dir] || depth > maxModuleDepth {
			return
		}
		visited[m.dir] = true
		for _, n := range m.readNames() {
			if !seen[n] {
				seen[n] = true
				all = append(all, n)
			}
		}
		for _, c := range m.calls {
			if c.source == "" {
				continue
			}
			k := c.name
			if key != "" {
				k = key + "." + c.name
			}
			var dir string
			if isLocalSource(c.source) {
				dir = moduleDir(m.dir, c.source)
			} else if dir = r.manifestDir(k); dir == "" {
				continue
			}
			if visited[dir] {
				continue
			}
			visit(r.l.moduleAt(dir), k, depth+1)
		}
	}
	visit(r.rootMod, "", 0)
	sort.Strings(all)
	if all == nil {
		all = []string{}
	}
	r.allNames = all
	return all
}
