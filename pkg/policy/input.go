package policy

import (
	"encoding/json"
	"math/big"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/zclconf/go-cty/cty"
)

// Input returns the document policies see as `input`, as plain JSON values:
// maps, slices, strings, bools, json.Number and nil. The shape is described
// in the package documentation. It is built fresh on every call.
func Input(st *model.State) map[string]any {
	// Every value inputValue builds is JSON (objects with string keys,
	// arrays, scalars), so the conversion cannot fail.
	v, _ := ast.JSON(inputValue(st))
	m, _ := v.(map[string]any)
	return m
}

// inputValue builds the input document straight as OPA values. Going
// through Go maps first and converting them with ast.InterfaceToValue costs
// three times as much, which matters for states of tens of thousands of
// resources. Resources are converted in parallel: each is independent.
func inputValue(st *model.State) ast.Value {
	terms := make([]*ast.Term, len(st.Resources))
	workers := min(runtime.GOMAXPROCS(0), len(st.Resources)/256+1)
	chunk := (len(st.Resources) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(st.Resources))
		if lo >= hi {
			break
		}
		wg.Go(func() {
			c := newConverter()
			for i := lo; i < hi; i++ {
				terms[i] = c.resource(st.Resources[i])
			}
		})
	}
	wg.Wait()
	return ast.NewObject([2]*ast.Term{ast.StringTerm("resources"), ast.NewTerm(ast.NewArray(terms...))})
}

// converter turns one resource at a time into OPA values. It keeps the path
// of the value being converted as a stack of segments and joins them only
// when a value is unknown, which is rare: joining at every step would cost
// an allocation per attribute. It is used by one goroutine.
type converter struct {
	format  string
	path    []segment
	unknown []*ast.Term
	// keys interns object keys: attribute names repeat across resources.
	keys map[string]*ast.Term
	// strs interns short string values, which repeat across resources
	// ("tcp", CIDR blocks, tag values); terms are immutable once built, so
	// sharing them is safe.
	strs map[string]*ast.Term
	// pairs is scratch space for the key/value pairs of the objects being
	// built, used as a stack: a nested object's pairs sit above its
	// parent's and are dropped once it is built.
	pairs [][2]*ast.Term
}

// segment is one step of a path: an object key, or an array index when
// index >= 0.
type segment struct {
	key   string
	index int
}

func newConverter() *converter {
	return &converter{keys: make(map[string]*ast.Term, 256), strs: make(map[string]*ast.Term, 1024)}
}

// str returns a term for a string value.
func (c *converter) str(s string) *ast.Term {
	if len(s) > 64 {
		return ast.StringTerm(s)
	}
	t, ok := c.strs[s]
	if !ok {
		t = ast.StringTerm(s)
		c.strs[s] = t
	}
	return t
}

func (c *converter) key(k string) *ast.Term {
	t, ok := c.keys[k]
	if !ok {
		t = ast.StringTerm(k)
		c.keys[k] = t
	}
	return t
}

func (c *converter) resource(r *model.Resource) *ast.Term {
	c.format = r.Format
	c.path = c.path[:0]
	c.unknown = nil
	attrs, ex := c.block(r.Body, false)
	mode := "managed"
	if r.Mode == model.Data {
		mode = "data"
	}
	// Attributes are visited in map order: sort for stable output.
	unknown := c.unknown
	if unknown == nil {
		unknown = []*ast.Term{}
	}
	slices.SortFunc(unknown, func(a, b *ast.Term) int { return a.Value.Compare(b.Value) })
	return ast.NewTerm(ast.NewObject(
		[2]*ast.Term{c.key("format"), c.key(c.format)},
		[2]*ast.Term{c.key("type"), c.key(r.Type)},
		[2]*ast.Term{c.key("name"), ast.StringTerm(r.Name)},
		[2]*ast.Term{c.key("address"), ast.StringTerm(r.Address())},
		[2]*ast.Term{c.key("file"), c.key(r.Range.File)},
		[2]*ast.Term{c.key("line"), ast.InternedTerm(r.Range.StartLine)},
		[2]*ast.Term{c.key("end_line"), ast.InternedTerm(r.Range.EndLine)},
		[2]*ast.Term{c.key("module"), c.key(r.Module)},
		[2]*ast.Term{c.key("mode"), c.key(mode)},
		[2]*ast.Term{c.key("attributes"), attrs},
		[2]*ast.Term{c.key("unknown"), ast.NewTerm(ast.NewArray(unknown...))},
		[2]*ast.Term{c.key("decoded"), orEmpty(ex.decoded)},
		[2]*ast.Term{c.key("templates"), orEmpty(ex.templates)},
	))
}

// extra is what a body adds to the resource's decoded and templates
// objects, which have the shape of its attributes but hold only the
// attributes that have a decoded document or template text, and the blocks
// leading to them. Each is nil when the body adds nothing, which is nearly
// always, so that bodies without any cost nothing.
type extra struct {
	decoded, templates *ast.Term
}

func orEmpty(t *ast.Term) *ast.Term {
	if t == nil {
		return ast.InternedEmptyObject
	}
	return t
}

// setPair adds or replaces key k in pairs.
func setPair(pairs [][2]*ast.Term, k *ast.Term, v *ast.Term) [][2]*ast.Term {
	for i := range pairs {
		if pairs[i][0].Equal(k) {
			pairs[i][1] = v
			return pairs
		}
	}
	return append(pairs, [2]*ast.Term{k, v})
}

func objectOf(pairs [][2]*ast.Term) *ast.Term {
	if len(pairs) == 0 {
		return nil
	}
	return ast.NewTerm(ast.NewObject(pairs...))
}

// decoded converts the document an attribute holds as a string: the value
// the loader kept from before encoding (jsonencode(x), yamlencode(x), a
// CloudFormation policy document), which stays partly known when the
// string is not, or else a known string that is a JSON object or array (a
// heredoc, file()). Its unknown parts are null and listed in unknown under
// the attribute's path, which is on the path stack. nil when there is no
// such document, or nothing of it is known.
func (c *converter) decoded(a *model.Attribute) *ast.Term {
	if a.Decoded != cty.NilVal {
		if !a.Decoded.IsKnown() {
			return nil // the attribute's own path says it all
		}
		return c.value(a.Decoded)
	}
	v := a.Value
	if v.IsMarked() {
		v, _ = v.Unmark()
	}
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return nil
	}
	s := strings.TrimLeftFunc(v.AsString(), unicode.IsSpace)
	if s == "" || (s[0] != '{' && s[0] != '[') || !json.Valid([]byte(s)) {
		return nil
	}
	doc, err := ast.ValueFromReader(strings.NewReader(s))
	if err != nil {
		return nil
	}
	return ast.NewTerm(doc)
}

// template converts the known text of an unknown string (a template with
// an unknown interpolation) into its parts: the literal text between
// unknown parts, and null for each unknown part. A policy looking for
// secrets reads the strings and cannot match across what is not known.
// nil when there is no known text.
func (c *converter) template(a *model.Attribute) *ast.Term {
	if a.Template == "" || a.Value.IsKnown() || strings.Trim(a.Template, unknownPart) == "" {
		return nil
	}
	segs := strings.Split(a.Template, unknownPart)
	parts := make([]*ast.Term, 0, 2*len(segs)-1)
	for i, seg := range segs {
		if i > 0 {
			parts = append(parts, ast.InternedNullTerm)
		}
		if seg != "" {
			parts = append(parts, ast.StringTerm(seg))
		}
	}
	return ast.NewTerm(ast.NewArray(parts...))
}

// unknownPart stands for a part of model.Attribute.Template that is known
// only after apply.
const unknownPart = "\x00"

// block converts a body: attributes by name, nested blocks grouped by type
// into arrays in source order. For Kubernetes, a block that was a mapping
// in the manifest stays an object. instruction marks a Dockerfile
// instruction, whose object also names its keyword. It also returns what
// the body adds to the decoded and templates objects.
func (c *converter) block(b *model.Block, instruction bool) (*ast.Term, extra) {
	base := len(c.pairs)
	if b == nil {
		return ast.NewTerm(ast.NewObject()), extra{}
	}
	// Few attributes have a document or a template: these stay nil
	// unless one does.
	var dec, tpl [][2]*ast.Term
	for name, a := range b.Attrs {
		c.pushKey(name)
		v := c.value(a.Value)
		if d := c.decoded(a); d != nil {
			dec = append(dec, [2]*ast.Term{c.key(name), d})
		}
		if t := c.template(a); t != nil {
			tpl = append(tpl, [2]*ast.Term{c.key(name), t})
		}
		c.pop()
		c.pairs = append(c.pairs, [2]*ast.Term{c.key(name), v})
	}
	if instruction {
		c.pairs = append(c.pairs, [2]*ast.Term{c.key("instruction"), c.key(b.Type)})
	}
	if len(b.Blocks) > 0 {
		c.blocks(b, base, &dec, &tpl)
	}
	obj := ast.NewObject(c.pairs[base:]...)
	clear(c.pairs[base:])
	c.pairs = c.pairs[:base]
	return ast.NewTerm(obj), extra{decoded: objectOf(dec), templates: objectOf(tpl)}
}

// blocks converts b's nested blocks and adds them to the pairs of b's
// object, which start at base, and what they add to the decoded and
// templates objects to dec and tpl, at the same keys and indexes.
func (c *converter) blocks(b *model.Block, base int, dec, tpl *[][2]*ast.Term) {
	children := b.Blocks
	stage := c.format == "dockerfile" && b.Type == "stage"
	// For each child: how many blocks of its type come before it, and how
	// many there are in all. Bodies hold few blocks, so a quadratic scan
	// beats a map.
	before := make([]int, len(children))
	total := make([]int, len(children))
	for i, ch := range children {
		for j := range i {
			if children[j].Type == ch.Type {
				before[i]++
			}
		}
	}
	for i, ch := range children {
		if before[i] == 0 {
			for j := i; j < len(children); j++ {
				if children[j].Type == ch.Type {
					total[i]++
				}
			}
		}
	}
	terms := make([]*ast.Term, len(children))
	for i, ch := range children {
		if before[i] > 0 {
			continue
		}
		typ := ch.Type
		c.pushKey(typ)
		if c.format == "kubernetes" && total[i] == 1 && !ch.Seq {
			var ex extra
			terms[i], ex = c.block(ch, false)
			c.set(base, typ, terms[i])
			if ex.decoded != nil {
				*dec = setPair(*dec, c.key(typ), ex.decoded)
			}
			if ex.templates != nil {
				*tpl = setPair(*tpl, c.key(typ), ex.templates)
			}
			c.pop()
			continue
		}
		// An attribute of the same name (Terraform's `ingress = [{...}]`
		// beside `ingress {}` blocks) comes first, as BlocksOf has it.
		var arr []*ast.Term
		if at := c.find(base, typ); at >= 0 {
			switch prev := c.pairs[at][1].Value.(type) {
			case *ast.Array:
				arr = make([]*ast.Term, 0, prev.Len()+total[i])
				for j := range prev.Len() {
					arr = append(arr, prev.Elem(j))
				}
			case ast.Object:
				arr = []*ast.Term{c.pairs[at][1]}
			}
		}
		first := len(arr)
		// The decoded and templates arrays of this type, made when a
		// block has something for them.
		var decArr, tplArr []*ast.Term
		for j := i; j < len(children); j++ {
			if children[j].Type != typ {
				continue
			}
			c.pushIndex(len(arr))
			var ex extra
			terms[j], ex = c.block(children[j], stage)
			c.pop()
			decArr = place(decArr, first+total[i], len(arr), ex.decoded)
			tplArr = place(tplArr, first+total[i], len(arr), ex.templates)
			arr = append(arr, terms[j])
		}
		c.set(base, typ, ast.NewTerm(ast.NewArray(arr...)))
		if decArr != nil {
			*dec = setPair(*dec, c.key(typ), ast.NewTerm(ast.NewArray(decArr...)))
		}
		if tplArr != nil {
			*tpl = setPair(*tpl, c.key(typ), ast.NewTerm(ast.NewArray(tplArr...)))
		}
		c.pop()
	}
	if stage {
		// Grouping by type loses the order of instructions, which policies
		// about USER or the last instruction need.
		c.pairs = append(c.pairs, [2]*ast.Term{c.key("instructions"), ast.NewTerm(ast.NewArray(terms...))})
	}
}

// place puts t at index i of arr, an array of n objects made (all empty)
// on the first t that is not nil, so that a block's decoded document or
// template sits at the block's own index.
func place(arr []*ast.Term, n, i int, t *ast.Term) []*ast.Term {
	if t == nil {
		return arr
	}
	if arr == nil {
		arr = make([]*ast.Term, n)
		for k := range arr {
			arr[k] = ast.InternedEmptyObject
		}
	}
	arr[i] = t
	return arr
}

// find returns the index of key k among the pairs from base, or -1.
func (c *converter) find(base int, k string) int {
	for i := base; i < len(c.pairs); i++ {
		if s, ok := c.pairs[i][0].Value.(ast.String); ok && string(s) == k {
			return i
		}
	}
	return -1
}

// set adds or replaces key k among the pairs from base.
func (c *converter) set(base int, k string, v *ast.Term) {
	if i := c.find(base, k); i >= 0 {
		c.pairs[i][1] = v
		return
	}
	c.pairs = append(c.pairs, [2]*ast.Term{c.key(k), v})
}

// value converts a cty value. Unknown values become null and their path is
// recorded, so a policy can tell "known after apply" from "unset".
func (c *converter) value(v cty.Value) *ast.Term {
	if v == cty.NilVal {
		return ast.InternedNullTerm
	}
	if v.IsMarked() {
		v, _ = v.Unmark()
	}
	if !v.IsKnown() {
		c.unknown = append(c.unknown, ast.StringTerm(c.joinPath()))
		return ast.InternedNullTerm
	}
	if v.IsNull() {
		return ast.InternedNullTerm
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return c.str(v.AsString())
	case ty == cty.Bool:
		return ast.InternedTerm(v.True())
	case ty == cty.Number:
		return number(v.AsBigFloat())
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		out := make([]*ast.Term, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			c.pushIndex(len(out))
			out = append(out, c.value(ev))
			c.pop()
		}
		return ast.NewTerm(ast.NewArray(out...))
	case ty.IsObjectType():
		base := len(c.pairs)
		for name := range ty.AttributeTypes() {
			c.pushKey(name)
			ev := c.value(v.GetAttr(name))
			c.pop()
			c.pairs = append(c.pairs, [2]*ast.Term{c.key(name), ev})
		}
		obj := ast.NewObject(c.pairs[base:]...)
		clear(c.pairs[base:])
		c.pairs = c.pairs[:base]
		return ast.NewTerm(obj)
	case ty.IsMapType():
		base := len(c.pairs)
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			name := k.AsString()
			c.pushKey(name)
			t := c.value(ev)
			c.pop()
			c.pairs = append(c.pairs, [2]*ast.Term{c.key(name), t})
		}
		obj := ast.NewObject(c.pairs[base:]...)
		clear(c.pairs[base:])
		c.pairs = c.pairs[:base]
		return ast.NewTerm(obj)
	}
	// Capsule values (opaque Go objects) have no JSON form.
	return ast.InternedNullTerm
}

// number keeps whole numbers exact and writes others in the shortest form
// that reads back to the same value.
func number(f *big.Float) *ast.Term {
	if f.IsInf() {
		// JSON has no infinity; cty allows it but no configuration means it.
		return ast.InternedNullTerm
	}
	if f.IsInt() {
		if i, acc := f.Int64(); acc == big.Exact {
			return ast.InternedTerm(int(i))
		}
		return ast.NumberTerm(json.Number(f.Text('f', 0)))
	}
	return ast.NumberTerm(json.Number(f.Text('g', -1)))
}

func (c *converter) pushKey(k string) { c.path = append(c.path, segment{key: k, index: -1}) }
func (c *converter) pushIndex(i int)  { c.path = append(c.path, segment{index: i}) }
func (c *converter) pop()             { c.path = c.path[:len(c.path)-1] }

// joinPath writes the current path the way a policy would write it:
// tags.Team, ingress[0].cidr_blocks[1], tags["kubernetes.io/role"].
func (c *converter) joinPath() string {
	var b strings.Builder
	for i, seg := range c.path {
		switch {
		case seg.index >= 0:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(seg.index))
			b.WriteByte(']')
		case isIdent(seg.key):
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(seg.key)
		default:
			b.WriteByte('[')
			b.WriteString(strconv.Quote(seg.key))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// isIdent reports whether s can follow a dot in a Rego reference.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		letter := ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
		digit := ch >= '0' && ch <= '9'
		if !letter && (i == 0 || !digit) {
			return false
		}
	}
	return true
}
