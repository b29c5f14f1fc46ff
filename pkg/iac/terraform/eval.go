package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// Evaluation is lazy and memoized: a local, variable, output, resource or
// module call is evaluated the first time an expression refers to it, and
// an expression is evaluated in a small context holding only what it refers
// to. Dependencies are thereby followed in whatever order the
// configuration is written, each value is computed once, and meeting an
// item that is still being evaluated is a reference cycle, reported as
// Terraform reports it instead of recursing forever.

// maxInstances bounds count, for_each and dynamic expansion so that a
// hostile or mistaken configuration (count = 1e9) cannot exhaust memory.
const maxInstances = 10000

// maxModuleDepth bounds module nesting beyond the cycle check, for chains
// of distinct directories.
const maxModuleDepth = 64

type runResult struct {
	dir       string // the root module's directory
	resources []*model.Resource
	errs      []finding.Error
	notes     []finding.Note
}

// run is the evaluation of one root module and the modules it calls. It is
// confined to one goroutine.
type run struct {
	l        *loader
	ctx      context.Context
	rootDir  string // the root module's directory: Terraform's working directory
	rootMod  *module
	allNames []string // see treeNames
	funcCtx  *hcl.EvalContext
	info     map[hcl.Expression]*exprInfo
	rootVals map[string]cty.Value // from tfvars and -var-file files
	manifest map[string]string    // modules.json: key -> absolute dir
	readMan  bool
	allowed  []string // directories file functions may read
	out      runResult
}

type exprInfo struct {
	expr  hcl.Expression
	travs []hcl.Traversal
	// names are the attribute names the expression reads anywhere; a
	// resource's value is given unknown attributes of these names when its
	// configuration does not set them (ids, arns...).
	names     []string
	namesDone bool
	// splatted maps the start of a reference that is the source of a
	// splat to the attribute the splat reads (aws_subnet.s[*].id: "id").
	splatted     map[int]string
	splattedDone bool
}

const (
	unset uint8 = iota
	busy
	done
)

// slot is a lazily evaluated named value: a variable, local or output.
type slot struct {
	state uint8
	val   cty.Value
	tree  *refTree // what its parts refer to
}

// scope is one module instance.
type scope struct {
	r       *run
	mod     *module
	path    string // "module.a[0].module.b"; empty at the root
	key     string // modules.json key: "a.b"
	parent  *scope
	call    *call
	callIn  *inst
	depth   int
	pathVal cty.Value
	vars    map[string]*slot
	locals  map[string]*slot
	outputs map[string]*slot
	res     map[string]*resState
	mods    map[string]*modState
	objs    map[string]cty.Value // see object
}

// inst holds the values that exist only inside a repeated thing: count,
// each, dynamic block iterators, self.
type inst struct {
	count cty.Value // {index = N}, or cty.NilVal
	each  cty.Value // {key, value}, or cty.NilVal
	iters map[string]cty.Value
	self  bool
	// trees are the references behind each and the iterators: each.value
	// of a resource with for_each = aws_s3_bucket.b refers to that bucket.
	trees map[string]*refTree
}

func (in *inst) withIter(name string, v cty.Value, tree *refTree) *inst {
	n := &inst{count: cty.NilVal, each: cty.NilVal, iters: map[string]cty.Value{name: v}}
	if in != nil {
		n.count, n.each, n.self = in.count, in.each, in.self
		for k, iv := range in.iters {
			if k != name {
				n.iters[k] = iv
			}
		}
		n.trees = in.trees
	}
	if tree != nil || n.trees[name] != nil {
		tr := make(map[string]*refTree, len(n.trees)+1)
		for k, t := range n.trees {
			tr[k] = t
		}
		tr[name] = tree
		n.trees = tr
	}
	return n
}

func (in *inst) withSelf() *inst {
	n := &inst{count: cty.NilVal, each: cty.NilVal, self: true}
	if in != nil {
		n.count, n.each, n.iters, n.trees = in.count, in.each, in.iters, in.trees
	}
	return n
}

type expandMode uint8

const (
	single expandMode = iota
	counted
	keyed
	unknownExpansion
)

type resState struct {
	decl  *resource
	state uint8
	mode  expandMode
	insts []resInst
	// vals memoizes the resource's value per referring expression (the
	// unknown attributes added depend on the expression), so that the
	// instances of a counted resource referring to another one do not
	// rebuild it each time. flowing is the value given to expressions it
	// flows on from (see treeNames).
	vals    map[*exprInfo]cty.Value
	flowing cty.Value
}

type resInst struct {
	key  string
	kv   cty.Value
	body *model.Block
}

type modState struct {
	c      *call
	state  uint8
	mode   expandMode
	absent bool
	insts  []modInst
	vals   map[*exprInfo]modValue // like resState.vals
}

type modValue struct {
	v    cty.Value
	refs []string
}

type modInst struct {
	key   string
	kv    cty.Value
	scope *scope
}

var terraformVal = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})

func (l *loader) evalRoot(ctx context.Context, m *module) (res *runResult) {
	r := &run{
		l:       l,
		ctx:     ctx,
		rootDir: m.dir,
		info:    map[hcl.Expression]*exprInfo{},
		allowed: []string{l.root},
		rootMod: m,
	}
	defer func() {
		if p := recover(); p != nil {
			r.out.errs = append(r.out.errs, finding.Error{File: l.rel(m.dir), Message: fmt.Sprintf("internal error while evaluating: %v", p)})
		}
		// A copy, so that the run (its caches hold syntax trees) can be
		// collected.
		out := r.out
		out.dir = m.dir
		res = &out
	}()
	r.funcCtx = &hcl.EvalContext{Functions: r.functions()}
	r.rootVals = r.rootValues(m)
	s := r.newScope(m, nil, nil, nil, "")
	r.collect(s)
	return nil // set by the deferred function
}

func (r *run) newScope(m *module, parent *scope, c *call, in *inst, key string) *scope {
	s := &scope{
		r:       r,
		mod:     m,
		parent:  parent,
		call:    c,
		callIn:  in,
		vars:    map[string]*slot{},
		locals:  map[string]*slot{},
		outputs: map[string]*slot{},
		res:     map[string]*resState{},
		mods:    map[string]*modState{},
	}
	modPath := "."
	if parent != nil {
		s.depth = parent.depth + 1
		s.path = "module." + c.name + key
		s.key = c.name
		if parent.path != "" {
			s.path = parent.path + "." + s.path
			s.key = parent.key + "." + c.name
		}
		if rel, err := filepath.Rel(r.rootDir, m.dir); err == nil {
			modPath = filepath.ToSlash(rel)
		}
	}
	s.pathVal = cty.ObjectVal(map[string]cty.Value{
		"module": cty.StringVal(modPath),
		"root":   cty.StringVal("."),
		"cwd":    cty.StringVal(filepath.ToSlash(r.rootDir)),
	})
	return s
}

// collect evaluates every resource of a module instance, then the modules
// it calls, appending the resource instances to the run's output.
func (r *run) collect(s *scope) {
	for _, d := range s.mod.resources {
		if r.ctx.Err() != nil {
			return
		}
		rs, _ := s.resource(d.addr)
		if rs == nil {
			continue
		}
		for _, ri := range rs.insts {
			r.out.resources = append(r.out.resources, &model.Resource{
				Mode:   d.mode,
				Type:   d.typ,
				Name:   d.name,
				Module: s.path,
				Key:    ri.key,
				Range:  d.rng,
				Body:   ri.body,
				Format: "terraform",
			})
		}
	}
	// Locals and outputs nothing refers to are still evaluated, so their
	// errors are reported as terraform validate would.
	for _, name := range sortedKeys(s.mod.locals) {
		s.local(name)
	}
	for _, name := range s.mod.outNames {
		s.output(name)
	}
	for _, c := range s.mod.calls {
		ms, _ := s.module(c.name)
		if ms == nil {
			continue
		}
		for _, mi := range ms.insts {
			r.collect(mi.scope)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (r *run) errorf(rng hcl.Range, format string, args ...any) {
	r.out.errs = append(r.out.errs, finding.Error{File: rng.Filename, Line: rng.Start.Line, Message: fmt.Sprintf(format, args...)})
}

func (r *run) exprInfo(expr hcl.Expression) *exprInfo {
	if info, ok := r.info[expr]; ok {
		return info
	}
	info := &exprInfo{expr: expr}
	func() {
		defer func() {
			if p := recover(); p != nil {
				info.travs = nil
			}
		}()
		info.travs = expr.Variables()
	}()
	r.info[expr] = info
	return info
}

// attrNames lists, once, the attribute names the expression reads
// anywhere. It is needed only for expressions that refer to resources.
func (info *exprInfo) attrNames() []string {
	if info.namesDone {
		return info.names
	}
	info.namesDone = true
	seen := map[string]bool{}
	add := func(t hcl.Traversal) {
		for _, step := range t {
			if a, ok := step.(hcl.TraverseAttr); ok && !seen[a.Name] {
				seen[a.Name] = true
				info.names = append(info.names, a.Name)
			}
		}
	}
	func() {
		defer func() { _ = recover() }()
		if se, ok := info.expr.(hclsyntax.Expression); ok {
			hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
				switch e := n.(type) {
				case *hclsyntax.ScopeTraversalExpr:
					add(e.Traversal)
				case *hclsyntax.RelativeTraversalExpr:
					add(e.Traversal)
				}
				return nil
			})
			return
		}
		for _, t := range info.travs {
			add(t)
		}
	}()
	return info.names
}

// attrStep returns the attribute name at position i of a traversal.
func attrStep(t hcl.Traversal, i int) (string, bool) {
	if i >= len(t) {
		return "", false
	}
	switch s := t[i].(type) {
	case hcl.TraverseAttr:
		return s.Name, true
	case hcl.TraverseRoot:
		return s.Name, true
	}
	return "", false
}

type resRef struct {
	typ, name string
}

// eval evaluates an expression in the module instance, with the repeated
// values of in. It returns the value (cty.DynamicVal on error, after
// recording the error) and the base addresses of the resources it refers
// to, directly or through locals, variables and module outputs.
func (s *scope) eval(expr hcl.Expression, in *inst) (cty.Value, []string) {
	v, refs, _ := s.evaluate(expr, in, false)
	return v, refs
}

// evalFlowing evaluates an expression whose value flows on: a local, an
// output, a module input, a for_each collection. It returns what the
// value's parts refer to, and resource objects in it get every attribute
// name the module tree reads (see treeNames).
func (s *scope) evalFlowing(expr hcl.Expression, in *inst) (cty.Value, *refTree) {
	v, _, tree := s.evaluate(expr, in, true)
	return v, tree
}

// resUse is how an expression uses a resource: where it first refers to it,
// and whether some reference takes the instance object itself rather than
// one of its attributes (aws_subnet.a, aws_subnet.a["k"]).
type resUse struct {
	rng   hcl.Range
	whole bool
}

func (s *scope) evaluate(expr hcl.Expression, in *inst, flowing bool) (cty.Value, []string, *refTree) {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType), nil, nil
	}
	info := s.r.exprInfo(expr)
	if len(info.travs) == 0 {
		// Literals and expressions of functions only: nothing to look up.
		val, diags := safeValue(expr, s.r.funcCtx)
		if diags.HasErrors() {
			s.r.out.errs = append(s.r.out.errs, diagErrors(diags, expr.Range().Filename)...)
			val = cty.DynamicVal
		}
		return val, nil, nil
	}
	vars := make(map[string]cty.Value, 4)
	var (
		refs    []string
		trees   []*refTree // per traversal, when flowing
		varObj  map[string]cty.Value
		locObj  map[string]cty.Value
		resRefs map[resRef]resUse
		modRefs map[string]map[string]bool // call -> outputs; nil set = all
		modTrav map[int]string             // traversal -> call, when flowing
		cycled  bool
	)
	if flowing {
		trees = make([]*refTree, len(info.travs))
	}
	// use records what traversal i refers to.
	use := func(i int, t *refTree) {
		if t == nil {
			return
		}
		refs = append(refs, t.all...)
		if flowing {
			trees[i] = t
		}
	}
	for i, t := range info.travs {
		root := t.RootName()
		if in != nil {
			if v, ok := in.iters[root]; ok {
				vars[root] = v
				use(i, in.trees[root].walk(t, 1))
				continue
			}
		}
		switch root {
		case "var", "local":
			name, ok := attrStep(t, 1)
			if !ok {
				continue
			}
			obj := &varObj
			get := s.variable
			if root == "local" {
				obj, get = &locObj, s.local
			}
			if *obj == nil {
				*obj = map[string]cty.Value{}
			}
			if _, seen := (*obj)[name]; seen {
				if sl, cycle := get(name); sl != nil && !cycle {
					use(i, sl.tree.walk(t, 2))
				}
				continue
			}
			sl, cycle := get(name)
			if cycle {
				s.r.errorf(t.SourceRange(), "Cycle: %s.%s refers to itself through its own value", root, name)
				(*obj)[name] = cty.DynamicVal
				cycled = true
				continue
			}
			if sl == nil {
				continue // undeclared: HCL reports the missing attribute
			}
			(*obj)[name] = sl.val
			use(i, sl.tree.walk(t, 2))
		case "module":
			name, ok := attrStep(t, 1)
			if !ok {
				continue
			}
			if modRefs == nil {
				modRefs = map[string]map[string]bool{}
			}
			if flowing {
				if modTrav == nil {
					modTrav = map[int]string{}
				}
				modTrav[i] = name
			}
			outs, seen := modRefs[name]
			if seen && outs == nil {
				continue
			}
			out, ok := attrStep(t, 2)
			if !ok {
				if _, isIndex := stepAt(t, 2).(hcl.TraverseIndex); isIndex {
					out, ok = attrStep(t, 3)
				}
			}
			if !ok {
				modRefs[name] = nil
				continue
			}
			if outs == nil {
				outs = map[string]bool{}
				modRefs[name] = outs
			}
			outs[out] = true
		case "path":
			vars["path"] = s.pathVal
		case "terraform":
			vars["terraform"] = terraformVal
		case "count":
			if in != nil && in.count != cty.NilVal {
				vars["count"] = in.count
			}
		case "each":
			if in != nil && in.each != cty.NilVal {
				vars["each"] = in.each
				use(i, in.trees["each"].walk(t, 1))
			}
		case "self":
			if in != nil && in.self {
				vars["self"] = cty.DynamicVal
			}
		case "data":
			typ, ok1 := attrStep(t, 1)
			name, ok2 := attrStep(t, 2)
			if ok1 && ok2 {
				if resRefs == nil {
					resRefs = map[resRef]resUse{}
				}
				s.useResource(resRefs, resRef{"data." + typ, name}, t, 3, flowing, info)
				if flowing {
					trees[i] = leafOf([]string{s.prefix("data." + typ + "." + name)})
				}
			}
		default:
			name, ok := attrStep(t, 1)
			if !ok {
				continue
			}
			if resRefs == nil {
				resRefs = map[resRef]resUse{}
			}
			s.useResource(resRefs, resRef{root, name}, t, 2, flowing, info)
			if flowing {
				trees[i] = leafOf([]string{s.prefix(root + "." + name)})
			}
		}
	}
	if varObj != nil {
		vars["var"] = s.object("var", varObj, !cycled)
	}
	if locObj != nil {
		vars["local"] = s.object("local", locObj, !cycled)
	}
	if modRefs != nil {
		mods := make(map[string]cty.Value, len(modRefs))
		var byName map[string][]string
		for name, outs := range modRefs {
			v, mrefs, ok := s.moduleValue(name, outs, info, expr.Range())
			if !ok {
				continue
			}
			mods[name] = v
			refs = append(refs, mrefs...)
			if flowing {
				if byName == nil {
					byName = map[string][]string{}
				}
				byName[name] = mrefs
			}
		}
		for i, name := range modTrav {
			trees[i] = leafOf(byName[name])
		}
		vars["module"] = cty.ObjectVal(mods)
	}
	if resRefs != nil {
		managed := map[string]map[string]cty.Value{}
		data := map[string]map[string]cty.Value{}
		for ref, u := range resRefs {
			addr := ref.typ + "." + ref.name
			byType := managed
			typ := ref.typ
			if strings.HasPrefix(typ, "data.") {
				byType, typ = data, strings.TrimPrefix(typ, "data.")
			}
			if byType[typ] == nil {
				byType[typ] = map[string]cty.Value{}
			}
			byType[typ][ref.name] = s.resourceValue(addr, info, u)
			refs = append(refs, s.prefix(addr))
		}
		for typ, names := range managed {
			vars[typ] = cty.ObjectVal(names)
		}
		if len(data) > 0 {
			dv := make(map[string]cty.Value, len(data))
			for typ, names := range data {
				dv[typ] = cty.ObjectVal(names)
			}
			vars["data"] = cty.ObjectVal(dv)
		}
	}
	ctx := s.r.funcCtx.NewChild()
	ctx.Variables = vars
	val, diags := safeValue(expr, ctx)
	if diags.HasErrors() {
		s.r.out.errs = append(s.r.out.errs, diagErrors(diags, expr.Range().Filename)...)
		val = cty.DynamicVal
	}
	refs = uniqueSorted(refs)
	if !flowing {
		return val, refs, nil
	}
	return val, refs, buildTree(expr, info.travs, trees)
}

// useResource records a reference to a resource; rest is the position of
// the first step after the resource's name. In a flowing expression, a
// reference that takes an instance object, or one of its nested blocks,
// makes it flow on; one whose splat reads an attribute does not.
func (s *scope) useResource(uses map[resRef]resUse, ref resRef, t hcl.Traversal, rest int, flowing bool, info *exprInfo) {
	u, seen := uses[ref]
	if !seen {
		u.rng = t.SourceRange()
	}
	if flowing && !u.whole {
		if _, isIndex := stepAt(t, rest).(hcl.TraverseIndex); isIndex {
			rest++
		}
		addr := ref.typ + "." + ref.name
		switch st := stepAt(t, rest).(type) {
		case nil:
			attr, ok := info.splat(t.SourceRange().Start.Byte)
			u.whole = !ok || s.isBlockType(addr, attr)
		case hcl.TraverseAttr:
			u.whole = s.isBlockType(addr, st.Name)
		}
	}
	uses[ref] = u
}

// splat returns the attribute a splat reads from the reference starting
// at byte start, if the reference is a splat's source.
func (info *exprInfo) splat(start int) (string, bool) {
	if !info.splattedDone {
		info.splattedDone = true
		func() {
			defer func() { _ = recover() }()
			se, ok := info.expr.(hclsyntax.Expression)
			if !ok {
				return
			}
			hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
				sp, ok := n.(*hclsyntax.SplatExpr)
				if !ok {
					return nil
				}
				src, ok1 := sp.Source.(*hclsyntax.ScopeTraversalExpr)
				each, ok2 := sp.Each.(*hclsyntax.RelativeTraversalExpr)
				if !ok1 || !ok2 || len(each.Traversal) == 0 {
					return nil
				}
				if a, ok := each.Traversal[0].(hcl.TraverseAttr); ok {
					if info.splatted == nil {
						info.splatted = map[int]string{}
					}
					info.splatted[src.Traversal.SourceRange().Start.Byte] = a.Name
				}
				return nil
			})
		}()
	}
	attr, ok := info.splatted[start]
	return attr, ok
}

// isBlockType reports whether name is a nested block type of the resource.
func (s *scope) isBlockType(addr, name string) bool {
	rs, cycle := s.resource(addr)
	if rs == nil || cycle || len(rs.insts) == 0 {
		return false
	}
	for _, b := range rs.insts[0].body.Blocks {
		if b.Type == name {
			return true
		}
	}
	return false
}

// object builds the var or local object an expression sees. Building a
// cty object type is the costly part of evaluating a simple expression, and
// the same few names are referred to again and again, so the objects are
// memoized per module instance by the names they hold. Values of slots
// never change once evaluated; an object holding a cycle's placeholder is
// not memoized.
func (s *scope) object(root string, vals map[string]cty.Value, cacheable bool) cty.Value {
	if !cacheable {
		return cty.ObjectVal(vals)
	}
	names := make([]string, 0, len(vals))
	for n := range vals {
		names = append(names, n)
	}
	sort.Strings(names)
	key := root + "." + strings.Join(names, ",")
	if v, ok := s.objs[key]; ok {
		return v
	}
	v := cty.ObjectVal(vals)
	if s.objs == nil {
		s.objs = map[string]cty.Value{}
	}
	s.objs[key] = v
	return v
}

func stepAt(t hcl.Traversal, i int) hcl.Traverser {
	if i >= len(t) {
		return nil
	}
	return t[i]
}

func (s *scope) prefix(addr string) string {
	if s.path == "" {
		return addr
	}
	return s.path + "." + addr
}

// safeValue evaluates an expression, turning a panic inside HCL, cty or a
// function into an error diagnostic.
func safeValue(expr hcl.Expression, ctx *hcl.EvalContext) (val cty.Value, diags hcl.Diagnostics) {
	defer func() {
		if p := recover(); p != nil {
			rng := expr.Range()
			val = cty.DynamicVal
			diags = hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Evaluation failed",
				Detail:   fmt.Sprint(p),
				Subject:  &rng,
			}}
		}
	}()
	val, diags = expr.Value(ctx)
	if val == cty.NilVal {
		val = cty.DynamicVal
	}
	if val.IsMarked() {
		val, _ = val.Unmark()
	}
	return val, diags
}

func uniqueSorted(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	sort.Strings(ss)
	out := ss[:1]
	for _, s := range ss[1:] {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}

// variable returns the value of an input variable, evaluating it on first
// use; nil when it is not declared; cycle is true when it is being
// evaluated already.
func (s *scope) variable(name string) (*slot, bool) {
	if sl, ok := s.vars[name]; ok {
		return sl, sl.state == busy
	}
	decl := s.mod.vars[name]
	if decl == nil {
		return nil, false
	}
	sl := &slot{state: busy}
	s.vars[name] = sl
	sl.val, sl.tree = s.variableValue(decl)
	sl.state = done
	return sl, false
}

func (s *scope) variableValue(decl *variable) (cty.Value, *refTree) {
	var val cty.Value
	var tree *refTree
	given := false
	if s.parent != nil {
		if a := s.call.inputs[decl.name]; a != nil {
			val, tree = s.parent.evalFlowing(a.Expr, s.callIn)
			given = true
		}
	} else if raw, ok := s.r.l.opts.Vars[decl.name]; ok {
		val, given = s.r.parseRawVar(decl, raw), true
	} else if v, ok := s.r.rootVals[decl.name]; ok {
		val, given = v, true
	}
	if given && val.IsNull() && !decl.nullable {
		given = false
	}
	if !given {
		if decl.def == nil {
			return cty.UnknownVal(decl.ty), nil
		}
		var diags hcl.Diagnostics
		val, diags = safeValue(decl.def, s.r.funcCtx)
		if diags.HasErrors() {
			s.r.out.errs = append(s.r.out.errs, diagErrors(diags, decl.rng.Filename)...)
			return cty.UnknownVal(decl.ty), nil
		}
	}
	return s.r.convertVar(decl, val), tree
}

func (r *run) convertVar(decl *variable, val cty.Value) cty.Value {
	if decl.defaults != nil && !val.IsNull() {
		func() {
			defer func() { _ = recover() }()
			val = decl.defaults.Apply(val)
		}()
	}
	out, err := convert.Convert(val, decl.ty)
	if err != nil {
		r.errorf(decl.rng, "Invalid value for variable %q: %v", decl.name, err)
		return cty.UnknownVal(decl.ty)
	}
	return out
}

func (s *scope) local(name string) (*slot, bool) {
	if sl, ok := s.locals[name]; ok {
		return sl, sl.state == busy
	}
	decl := s.mod.locals[name]
	if decl == nil {
		return nil, false
	}
	sl := &slot{state: busy}
	s.locals[name] = sl
	sl.val, sl.tree = s.evalFlowing(decl.expr, nil)
	sl.state = done
	return sl, false
}

func (s *scope) output(name string) (*slot, bool) {
	if sl, ok := s.outputs[name]; ok {
		return sl, sl.state == busy
	}
	decl := s.mod.outputs[name]
	if decl == nil {
		return nil, false
	}
	sl := &slot{state: busy}
	s.outputs[name] = sl
	sl.val, sl.tree = s.evalFlowing(decl.expr, nil)
	sl.state = done
	return sl, false
}

// resource evaluates a resource's instances on first use.
func (s *scope) resource(addr string) (*resState, bool) {
	if rs, ok := s.res[addr]; ok {
		return rs, rs.state == busy
	}
	decl := s.mod.resByAddr[addr]
	if decl == nil {
		return nil, false
	}
	rs := &resState{decl: decl, state: busy}
	s.res[addr] = rs
	insts, mode := s.expand(decl.count, decl.forEach, decl.addr)
	rs.mode = mode
	rs.insts = make([]resInst, 0, len(insts))
	for _, in := range insts {
		body := s.body(decl.body, in.in, true)
		body.Range = decl.rng
		rs.insts = append(rs.insts, resInst{key: in.key, kv: in.kv, body: body})
	}
	rs.state = done
	return rs, false
}

// resourceValue is what a reference to a resource evaluates to: an object
// of its configured attributes and blocks (a tuple of them with count, an
// object keyed like for_each with for_each). Attributes the configuration
// does not set are unknown, as they are at plan time.
func (s *scope) resourceValue(addr string, info *exprInfo, u resUse) cty.Value {
	rs, cycle := s.resource(addr)
	if cycle {
		s.r.errorf(u.rng, "Cycle: %s refers to itself", s.prefix(addr))
		return cty.DynamicVal
	}
	if rs == nil {
		s.r.errorf(u.rng, "Reference to undeclared resource: %s is not declared in %s", addr, s.moduleName())
		return cty.DynamicVal
	}
	if u.whole {
		if rs.flowing == cty.NilVal {
			rs.flowing = rs.value(s.r.treeNames())
		}
		return rs.flowing
	}
	if v, ok := rs.vals[info]; ok {
		return v
	}
	v := rs.value(info.attrNames())
	if rs.vals == nil {
		rs.vals = map[*exprInfo]cty.Value{}
	}
	rs.vals[info] = v
	return v
}

func (rs *resState) value(names []string) cty.Value {
	switch rs.mode {
	case single:
		if len(rs.insts) == 1 {
			return blockValue(rs.insts[0].body, names)
		}
	case counted:
		if len(rs.insts) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(rs.insts))
		for i, ri := range rs.insts {
			vals[i] = blockValue(ri.body, names)
		}
		return cty.TupleVal(vals)
	case keyed:
		if len(rs.insts) == 0 {
			return cty.EmptyObjectVal
		}
		vals := make(map[string]cty.Value, len(rs.insts))
		for _, ri := range rs.insts {
			vals[ri.kv.AsString()] = blockValue(ri.body, names)
		}
		return cty.ObjectVal(vals)
	}
	return cty.DynamicVal
}

func (s *scope) moduleName() string {
	if s.path == "" {
		return "the root module"
	}
	return s.path
}

// blockValue turns an evaluated body into an object value: attributes by
// name, nested blocks as tuples of objects by type.
func blockValue(b *model.Block, names []string) cty.Value {
	m := make(map[string]cty.Value, len(b.Attrs)+len(names))
	for n, a := range b.Attrs {
		m[n] = a.Value
	}
	if len(b.Blocks) > 0 {
		byType := map[string][]cty.Value{}
		var order []string
		for _, c := range b.Blocks {
			if _, ok := byType[c.Type]; !ok {
				order = append(order, c.Type)
			}
			byType[c.Type] = append(byType[c.Type], blockValue(c, names))
		}
		for _, t := range order {
			if _, ok := m[t]; !ok {
				m[t] = cty.TupleVal(byType[t])
			}
		}
	}
	for _, n := range names {
		if _, ok := m[n]; !ok {
			m[n] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(m)
}

// module evaluates a module call's instances on first use.
func (s *scope) module(name string) (*modState, bool) {
	if ms, ok := s.mods[name]; ok {
		return ms, ms.state == busy
	}
	c := s.mod.callByNm[name]
	if c == nil {
		return nil, false
	}
	ms := &modState{c: c, state: busy}
	s.mods[name] = ms
	child := s.resolveModule(c)
	if child == nil {
		ms.absent = true
		ms.state = done
		return ms, false
	}
	insts, mode := s.expand(c.count, c.forEach, "module."+c.name)
	ms.mode = mode
	for _, in := range insts {
		ms.insts = append(ms.insts, modInst{key: in.key, kv: in.kv, scope: s.r.newScope(child, s, c, in.in, in.key)})
	}
	ms.state = done
	return ms, false
}

// moduleValue is what module.<name> evaluates to: an object of the wanted
// outputs (all of them when outs is nil) per instance.
func (s *scope) moduleValue(name string, outs map[string]bool, info *exprInfo, rng hcl.Range) (cty.Value, []string, bool) {
	ms, cycle := s.module(name)
	if cycle {
		s.r.errorf(rng, "Cycle: module.%s refers to itself", name)
		return cty.DynamicVal, nil, true
	}
	if ms == nil {
		return cty.NilVal, nil, false
	}
	if ms.absent || ms.mode == unknownExpansion {
		return cty.DynamicVal, nil, true
	}
	if mv, ok := ms.vals[info]; ok {
		return mv.v, mv.refs, true
	}
	v, refs, clean := s.buildModuleValue(ms, name, outs, rng)
	if clean {
		if ms.vals == nil {
			ms.vals = map[*exprInfo]modValue{}
		}
		ms.vals[info] = modValue{v, refs}
	}
	return v, refs, true
}

func (s *scope) buildModuleValue(ms *modState, name string, outs map[string]bool, rng hcl.Range) (cty.Value, []string, bool) {
	var refs []string
	clean := true
	one := func(child *scope) cty.Value {
		names := child.mod.outNames
		if outs != nil {
			names = names[:0:0]
			for o := range outs {
				names = append(names, o)
			}
			sort.Strings(names)
		}
		vals := make(map[string]cty.Value, len(names))
		for _, o := range names {
			sl, cycle := child.output(o)
			switch {
			case cycle:
				s.r.errorf(rng, "Cycle: output %q of module.%s refers to itself", o, name)
				vals[o] = cty.DynamicVal
				clean = false
			case sl != nil:
				vals[o] = sl.val
				refs = append(refs, sl.tree.refs()...)
			}
		}
		return cty.ObjectVal(vals)
	}
	v := cty.DynamicVal
	switch ms.mode {
	case single:
		if len(ms.insts) == 1 {
			v = one(ms.insts[0].scope)
		}
	case counted:
		v = cty.EmptyTupleVal
		if len(ms.insts) > 0 {
			vals := make([]cty.Value, len(ms.insts))
			for i, mi := range ms.insts {
				vals[i] = one(mi.scope)
			}
			v = cty.TupleVal(vals)
		}
	case keyed:
		v = cty.EmptyObjectVal
		if len(ms.insts) > 0 {
			vals := make(map[string]cty.Value, len(ms.insts))
			for _, mi := range ms.insts {
				vals[mi.kv.AsString()] = one(mi.scope)
			}
			v = cty.ObjectVal(vals)
		}
	}
	return v, uniqueSorted(refs), clean
}
