package kubernetes

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
)

// maxExpansion bounds the nodes aliases may add to one document, beyond
// those written out. YAML aliases let a few hundred bytes name billions of
// nodes; a manifest never needs this many.
const maxExpansion = 1 << 16

// maxDepth bounds nesting. The YAML parser stops at 10000 levels, but an
// alias inside the node it names makes a cycle of unbounded depth.
const maxDepth = 1000

var (
	errTooLarge = errors.New("document expands to too many nodes through aliases")
	errTooDeep  = fmt.Errorf("document nests more than %d levels deep (an alias inside the node it names?)", maxDepth)
)

// step is one element of a path into an object: a mapping key, or an index
// into a sequence (key empty, idx >= 0). name is a sequence element's
// "name" field, the key strategic merge matches containers, env entries and
// volumes by.
type step struct {
	key  string
	idx  int
	name string
}

// locator tells where a path of a generated object (rendered by helm or
// kustomize) was written in its source: the file, when it is not the
// object's own, and the lines. attr tells an attribute (a value someone
// set) from a block. ok is false when the source does not say; the
// converter then uses the nearest ancestor's place.
type locator interface {
	locate(path []step, attr bool) (file string, start, end int, ok bool)
}

// converter turns one YAML document into model blocks and attributes, as
// ISSUE3's "Kubernetes -> model" says: mappings and sequences of mappings
// become blocks, everything else attributes.
type converter struct {
	file string
	// off is added to node lines: documents are parsed one at a time, so
	// their lines start at 1.
	off int
	// loc, when set, places ranges in the object's source instead of the
	// parsed text.
	loc    locator
	budget int
	depth  int
	path   []step
	err    error
}

func newConverter(file string, off int, loc locator) *converter {
	return &converter{file: file, off: off, loc: loc}
}

// place returns the range of the current path: where the locator puts it,
// else the parent's place, or the node's own lines when there is no
// locator.
func (c *converter) place(start, end int, parent model.Range, attr bool) model.Range {
	if c.loc == nil {
		return model.Range{File: c.file, StartLine: start + c.off, EndLine: end + c.off}
	}
	if f, s, e, ok := c.loc.locate(c.path, attr); ok {
		if f == "" {
			f = c.file
		}
		return model.Range{File: f, StartLine: s, EndLine: max(s, e)}
	}
	return model.Range{File: parent.File, StartLine: parent.StartLine, EndLine: parent.StartLine}
}

// body converts an object's mapping node into a resource body. rng is the
// object's range, already placed.
func (c *converter) body(n *yaml.Node, rng model.Range) (*model.Block, error) {
	b := &model.Block{Range: rng, Attrs: map[string]*model.Attribute{}}
	c.budget = maxExpansion + countNodes(n)
	c.mapping(b, n)
	return b, c.err
}

// spend counts one node against the budget; false once it is used up.
func (c *converter) spend() bool {
	if c.err != nil {
		return false
	}
	if c.budget <= 0 {
		if c.err == nil {
			c.err = errTooLarge
		}
		return false
	}
	c.budget--
	return true
}

// enter counts one level of nesting; false past maxDepth.
func (c *converter) enter() bool {
	if c.depth >= maxDepth {
		if c.err == nil {
			c.err = errTooDeep
		}
		return false
	}
	c.depth++
	return true
}

func (c *converter) leave() { c.depth-- }

// mapping fills b from the mapping node n and returns the last line its
// contents occupy in the parsed text.
func (c *converter) mapping(b *model.Block, n *yaml.Node) int {
	last := n.Line
	if !c.enter() {
		return last
	}
	defer c.leave()
	for _, kv := range c.pairs(n, 0) {
		k, v := kv[0], kv[1]
		if !c.spend() {
			return last
		}
		key := k.Value
		val, aliased := resolve(v)
		c.path = append(c.path, step{key: key, idx: -1})
		end := k.Line
		switch {
		case val.Kind == yaml.MappingNode:
			child := &model.Block{Type: key, Attrs: map[string]*model.Attribute{}}
			child.Range = c.place(k.Line, k.Line, b.Range, false)
			end = max(end, c.mapping(child, val))
			if aliased {
				end = v.Line
			}
			if c.loc == nil {
				child.Range.EndLine = end + c.off
			}
			b.Blocks = append(b.Blocks, child)
		case val.Kind == yaml.SequenceNode && allMappings(val):
			// An element without a place of its own points at the key.
			keyRange := c.place(k.Line, k.Line, b.Range, false)
			for i, e := range val.Content {
				ev, eAliased := resolve(e)
				c.path = append(c.path, step{idx: i, name: scalarField(ev, "name")})
				child := &model.Block{Type: key, Attrs: map[string]*model.Attribute{}, Seq: true}
				child.Range = c.place(e.Line, e.Line, keyRange, false)
				eEnd := c.mapping(child, ev)
				if eAliased {
					eEnd = e.Line
				}
				if c.loc == nil {
					child.Range.EndLine = max(e.Line, eEnd) + c.off
				}
				end = max(end, eEnd)
				b.Blocks = append(b.Blocks, child)
				c.path = c.path[:len(c.path)-1]
			}
			if aliased {
				end = v.Line
			}
		default:
			value, vEnd := c.value(val)
			if aliased {
				vEnd = v.Line
			}
			end = max(end, vEnd)
			b.Attrs[key] = &model.Attribute{Name: key, Value: value, Range: c.place(k.Line, end, b.Range, true)}
		}
		c.path = c.path[:len(c.path)-1]
		last = max(last, end)
	}
	return last
}

// value converts a node that is not a block into a cty value, and returns
// the last line it occupies.
func (c *converter) value(n *yaml.Node) (cty.Value, int) {
	n, aliased := resolve(n)
	if !c.spend() || !c.enter() {
		return cty.DynamicVal, n.Line
	}
	defer c.leave()
	end := n.Line
	var v cty.Value
	switch n.Kind {
	case yaml.ScalarNode:
		v = scalar(n)
		end = scalarEnd(n)
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			v = cty.EmptyTupleVal
			break
		}
		vals := make([]cty.Value, 0, len(n.Content))
		for _, e := range n.Content {
			ev, eEnd := c.value(e)
			vals = append(vals, ev)
			end = max(end, eEnd)
		}
		v = cty.TupleVal(vals)
	case yaml.MappingNode:
		attrs := map[string]cty.Value{}
		for _, kv := range c.pairs(n, 0) {
			ev, eEnd := c.value(kv[1])
			attrs[kv[0].Value] = ev
			end = max(end, eEnd)
		}
		v = cty.ObjectVal(attrs)
	default:
		v = cty.NullVal(cty.DynamicPseudoType)
	}
	if aliased {
		end = n.Line
	}
	return v, end
}

// pairs lists a mapping's key/value pairs with merge keys ("<<: *base")
// expanded: merged keys never override the mapping's own. A repeated key
// replaces the earlier one, as the YAML libraries Kubernetes tools use do.
// Keys that are not scalars (YAML allows "? [a, b]") are left out: no
// Kubernetes field has one.
func (c *converter) pairs(n *yaml.Node, depth int) [][2]*yaml.Node {
	var own, merged [][2]*yaml.Node
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode {
			k, _ = resolve(k)
		}
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if k.ShortTag() == "!!merge" {
			if depth < 16 {
				merged = append(merged, c.mergeSources(v, depth)...)
			}
			continue
		}
		if i, dup := seen[k.Value]; dup {
			own[i] = [2]*yaml.Node{k, v}
			continue
		}
		seen[k.Value] = len(own)
		own = append(own, [2]*yaml.Node{k, v})
	}
	for _, kv := range merged {
		if _, dup := seen[kv[0].Value]; !dup && c.spend() {
			seen[kv[0].Value] = len(own)
			own = append(own, kv)
		}
	}
	return own
}

func (c *converter) mergeSources(v *yaml.Node, depth int) [][2]*yaml.Node {
	v, _ = resolve(v)
	switch v.Kind {
	case yaml.MappingNode:
		return c.pairs(v, depth+1)
	case yaml.SequenceNode:
		var out [][2]*yaml.Node
		for _, e := range v.Content {
			if e, _ = resolve(e); e.Kind == yaml.MappingNode && c.spend() {
				out = append(out, c.pairs(e, depth+1)...)
			}
		}
		return out
	}
	return nil
}

// resolve follows aliases to the anchored node; aliased tells the caller
// that the node's lines are elsewhere in the file.
func resolve(n *yaml.Node) (_ *yaml.Node, aliased bool) {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 64; i++ {
		n, aliased = n.Alias, true
	}
	return n, aliased
}

func allMappings(n *yaml.Node) bool {
	if len(n.Content) == 0 {
		return false
	}
	for _, e := range n.Content {
		if e, _ = resolve(e); e.Kind != yaml.MappingNode {
			return false
		}
	}
	return true
}

// countNodes counts the nodes written in a document, not following aliases.
func countNodes(n *yaml.Node) int {
	c := 1
	for _, e := range n.Content {
		c += countNodes(e)
	}
	return c
}

// scalar converts a YAML scalar by its resolved tag: numbers stay numbers,
// booleans become bools, quoted text stays text.
func scalar(n *yaml.Node) cty.Value {
	if b, ok := yaml11Bool(n); ok {
		return cty.BoolVal(b)
	}
	switch n.ShortTag() {
	case "!!null":
		return cty.NullVal(cty.DynamicPseudoType)
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err == nil {
			return cty.BoolVal(b)
		}
	case "!!int":
		if f, _, err := big.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 0, 512, big.ToNearestEven); err == nil {
			return cty.NumberVal(f)
		}
		var i int64
		if err := n.Decode(&i); err == nil {
			return cty.NumberIntVal(i)
		}
	case "!!float":
		switch strings.ToLower(strings.TrimLeft(n.Value, "+")) {
		case ".inf":
			return cty.PositiveInfinity
		case "-.inf":
			return cty.NegativeInfinity
		case ".nan":
			// cty numbers cannot be NaN.
			return cty.StringVal(n.Value)
		}
		if f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			if v, err := cty.ParseNumberVal(strings.ReplaceAll(n.Value, "_", "")); err == nil {
				return v
			}
			return cty.NumberFloatVal(f)
		}
	}
	return cty.StringVal(n.Value)
}

// yaml11Bool reads the unquoted YAML 1.1 booleans (yes, on, off, y, ...)
// that YAML 1.2 reads as text. The Kubernetes API server decodes manifests
// with YAML 1.1 rules, so `privileged: yes` runs a privileged container and
// must be seen as true.
func yaml11Bool(n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Style != 0 || n.ShortTag() != "!!str" {
		return false, false
	}
	switch n.Value {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON":
		return true, true
	case "n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return false, true
	}
	return false, false
}

// scalarEnd is the last line of a scalar: block scalars ("|", ">") and
// multi-line quoted strings run past their first line.
func scalarEnd(n *yaml.Node) int {
	lines := strings.Count(strings.TrimRight(n.Value, "\n"), "\n")
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		lines++
	}
	// Folding joins lines, so for ">" this is a lower bound.
	return n.Line + lines
}
