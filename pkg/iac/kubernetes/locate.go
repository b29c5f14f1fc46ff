package kubernetes

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlLocator finds paths in the YAML object an object was built from
// (kustomize's input files): exact, since the source is YAML too.
type yamlLocator struct {
	file string
	node *yaml.Node
	off  int
}

func (y yamlLocator) locate(p []step, _ bool) (string, int, int, bool) {
	start, end, ok := descend(y.node, objectStart(y.node), p)
	if !ok {
		return "", 0, 0, false
	}
	return y.file, start + y.off, end + y.off, true
}

// descend follows a path from node n, written at line, to the lines of
// what it reaches: the key's line through the value's last.
func descend(n *yaml.Node, line int, p []step) (start, end int, ok bool) {
	for _, s := range p {
		n, _ = resolve(n)
		if s.key == "" {
			e := element(n, s)
			if e == nil {
				return 0, 0, false
			}
			n, line = e, e.Line
			continue
		}
		if n.Kind != yaml.MappingNode {
			return 0, 0, false
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == s.key {
				line, n, found = k.Line, n.Content[i+1], true
			}
		}
		if !found {
			return 0, 0, false
		}
	}
	return line, max(line, lastLine(n)), true
}

// element finds a sequence element: by name when the path has one (a patch
// lists only the containers it changes, in its own order), else by position.
func element(n *yaml.Node, s step) *yaml.Node {
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	if s.name != "" {
		for _, e := range n.Content {
			if e, _ := resolve(e); e.Kind == yaml.MappingNode && scalarField(e, "name") == s.name {
				return e
			}
		}
		return nil
	}
	if s.idx < len(n.Content) {
		return n.Content[s.idx]
	}
	return nil
}

// patchLocator places a kustomized object: a value a patch sets is where
// the patch sets it, anything else where the source file has it, and what
// neither has falls back to the ancestor.
type patchLocator struct {
	base    locator
	patches []locator // most significant first
}

func (p patchLocator) locate(path []step, attr bool) (string, int, int, bool) {
	if !attr || identity(path) {
		if f, s, e, ok := p.base.locate(path, attr); ok {
			return f, s, e, ok
		}
	}
	for _, l := range p.patches {
		if f, s, e, ok := l.locate(path, attr); ok {
			return f, s, e, ok
		}
	}
	if attr {
		return p.base.locate(path, attr)
	}
	return "", 0, 0, false
}

// pinnedLocator places whatever its locator finds on fixed lines: a patch
// written in a quoted or folded string, whose lines are not the file's.
type pinnedLocator struct {
	loc        locator
	file       string
	start, end int
}

func (p pinnedLocator) locate(path []step, attr bool) (string, int, int, bool) {
	if _, _, _, ok := p.loc.locate(path, attr); !ok {
		return "", 0, 0, false
	}
	return p.file, p.start, p.end, true
}

// jsonOp is one operation of a JSON6902 patch, as written.
type jsonOp struct {
	op   string
	path []string // reference tokens, unescaped
	from []string // move and copy
	node *yaml.Node
	// value is what add and replace set, written on line key.
	value *yaml.Node
	key   int
}

// parseOps reads an operation list. Operations that are not mappings, or
// have no valid path below the object's root, are left out.
func parseOps(seq *yaml.Node) []jsonOp {
	var out []jsonOp
	for _, e := range seq.Content {
		if e, _ = resolve(e); e.Kind != yaml.MappingNode {
			continue
		}
		path, ok := pointer(scalarField(e, "path"))
		if !ok || len(path) == 0 {
			continue
		}
		o := jsonOp{op: scalarField(e, "op"), path: path, node: e}
		o.from, _ = pointer(scalarField(e, "from"))
		for i := 0; i+1 < len(e.Content); i += 2 {
			if k := e.Content[i]; k.Kind == yaml.ScalarNode && k.Value == "value" {
				o.value, o.key = e.Content[i+1], k.Line
			}
		}
		out = append(out, o)
	}
	return out
}

// pointer splits a JSON pointer (RFC 6901) into its reference tokens:
// "~1" stands for "/" and "~0" for "~", replaced in that order.
func pointer(s string) ([]string, bool) {
	if s == "" || s[0] != '/' {
		return nil, s == ""
	}
	tokens := strings.Split(s[1:], "/")
	for i, t := range tokens {
		tokens[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return tokens, true
}

// placedOp is an operation whose path has been found in the built object.
type placedOp struct {
	path []step
	op   *jsonOp
}

// resolveOps finds where the operations that put values into the object
// (add, replace, copy, move) put them in the built object obj, in the
// order they apply. Those whose path the object does not have (removed or
// moved again later) are left out.
func resolveOps(ops []jsonOp, obj *yaml.Node) []placedOp {
	var out []placedOp
	for i := range ops {
		switch ops[i].op {
		case "add", "replace", "copy", "move":
		default:
			continue
		}
		if p, ok := resolvePointer(ops[i].path, ops[i+1:], obj); ok {
			out = append(out, placedOp{path: p, op: &ops[i]})
		}
	}
	return out
}

// resolvePointer turns reference tokens into a path of the built object
// obj: keys of mappings, positions in sequences. A position is where the
// element ends up once the later operations of the same patch have
// inserted or removed elements before it; "-" (append) is the end of the
// sequence as it was then.
func resolvePointer(tokens []string, later []jsonOp, obj *yaml.Node) ([]step, bool) {
	n := obj
	var out []step
	for i, t := range tokens {
		n, _ = resolve(n)
		switch n.Kind {
		case yaml.MappingNode:
			v := field(n, t)
			if v == nil || t == "" {
				return nil, false
			}
			out = append(out, step{key: t, idx: -1})
			n = v
		case yaml.SequenceNode:
			idx, ok := finalIndex(tokens[:i], t, len(n.Content), i == len(tokens)-1, later)
			if !ok || idx < 0 || idx >= len(n.Content) {
				return nil, false
			}
			out = append(out, step{idx: idx})
			n = n.Content[idx]
		default:
			return nil, false
		}
	}
	return out, true
}

// seqEdit is an element inserted into or removed from a sequence.
type seqEdit struct {
	insert bool
	at     int // -1: appended
}

// edits lists what an operation does to the sequence at seq (tokens as
// written): a move removes, then inserts.
func (o *jsonOp) edits(seq []string) []seqEdit {
	at := func(p []string) (int, bool) {
		if len(p) != len(seq)+1 || !slices.Equal(p[:len(seq)], seq) {
			return 0, false
		}
		if t := p[len(seq)]; t == "-" {
			return -1, true
		}
		i, err := strconv.Atoi(p[len(seq)])
		return i, err == nil && i >= 0
	}
	var out []seqEdit
	removed := o.path
	if o.op == "move" {
		removed = o.from
	}
	if o.op == "remove" || o.op == "move" {
		if i, ok := at(removed); ok && i >= 0 {
			out = append(out, seqEdit{at: i})
		}
	}
	if o.op == "add" || o.op == "copy" || o.op == "move" {
		if i, ok := at(o.path); ok {
			out = append(out, seqEdit{insert: true, at: i})
		}
	}
	return out
}

// finalIndex is the position a token names in the sequence at seq, of
// final length n, after the later operations.
func finalIndex(seq []string, t string, n int, last bool, later []jsonOp) (int, bool) {
	var idx int
	if t == "-" {
		if !last {
			return 0, false
		}
		// The sequence's length once this operation is done is n, less
		// what the later operations insert, plus what they remove.
		idx = n - 1
		for i := range later {
			for _, e := range later[i].edits(seq) {
				if e.insert {
					idx--
				} else {
					idx++
				}
			}
		}
	} else {
		var err error
		if idx, err = strconv.Atoi(t); err != nil || idx < 0 {
			return 0, false
		}
	}
	for i := range later {
		for _, e := range later[i].edits(seq) {
			switch {
			case e.insert && e.at >= 0 && e.at <= idx:
				idx++
			case !e.insert && e.at == idx:
				return 0, false // removed again
			case !e.insert && e.at < idx:
				idx--
			}
		}
	}
	return idx, true
}

// jsonLocator places the values a JSON6902 patch sets: a value an add or
// replace sets, and anything inside it, where the operation's value is
// written; what a copy or move puts there, on the operation.
type jsonLocator struct {
	file string
	off  int
	ops  []placedOp // in the order they apply
}

func (j jsonLocator) locate(p []step, attr bool) (string, int, int, bool) {
	for i := len(j.ops) - 1; i >= 0; i-- {
		o := j.ops[i]
		val, line := o.op.value, o.op.key
		if val == nil {
			val, line = o.op.node, objectStart(o.op.node)
		}
		switch {
		case hasPrefix(p, o.path):
			rest := p[len(o.path):]
			if o.op.value == nil {
				rest = nil
			}
			if start, end, ok := descend(val, line, rest); ok {
				return j.file, start + j.off, end + j.off, true
			}
		case attr && hasPrefix(o.path, p):
			// An attribute holding what the operation set, such as an
			// item appended to a list of strings.
			return j.file, line + j.off, max(line, lastLine(val)) + j.off, true
		}
	}
	return "", 0, 0, false
}

// hasPrefix reports whether path p starts with prefix.
func hasPrefix(p, prefix []step) bool {
	if len(prefix) > len(p) {
		return false
	}
	for i, s := range prefix {
		if s.key != p[i].key || (s.key == "" && s.idx != p[i].idx) {
			return false
		}
	}
	return true
}

// templateLocator finds paths in a Helm template, which is not YAML until
// rendered. It reads the template's lines as YAML-shaped text, key by key
// by indentation, ignoring template actions, and remembers where each path
// is written: exactly (with sequence positions) and loosely (keys only,
// for items a range loop repeats). A value that comes from an action such
// as `{{ toYaml .Values.securityContext | nindent 12 }}` has no line of its
// own; the converter then points at its parent key.
type templateLocator struct {
	exact map[string]*span
	loose map[string]*span
}

type span struct{ start, end int }

var (
	actionRe = regexp.MustCompile(`\{\{.*?\}\}`)
	keyRe    = regexp.MustCompile(`^("[^"]*"|'[^']*'|[^\s"'#:{}\[\],&*!|>%@` + "`" + `-][^:#]*?|-[^\s:#][^:#]*?)[ \t]*:([ \t]|$)`)
)

// frame is an open key or sequence item while reading a template.
type frame struct {
	indent int
	item   bool // a "- " sequence item rather than a key
	items  int  // sequence items seen under this key
	inline bool // the key has its value on its own line
	exact  string
	loose  string
	span   *span
}

// newTemplateLocator indexes lines [from, to) of a template (1-based file
// lines; lines[0] is line 1).
func newTemplateLocator(lines []string, from, to int) *templateLocator {
	t := &templateLocator{exact: map[string]*span{}, loose: map[string]*span{}}
	var stack []*frame
	lastContent := from
	closeWhile := func(pred func(*frame) bool) {
		for len(stack) > 0 && pred(stack[len(stack)-1]) {
			f := stack[len(stack)-1]
			f.span.end = max(f.span.start, lastContent)
			stack = stack[:len(stack)-1]
		}
	}
	blockScalar := -1 // indent of the key whose block scalar is being skipped
	for ln := from; ln < to && ln <= len(lines); ln++ {
		raw := strings.TrimRight(lines[ln-1], " \t\r")
		text := actionRe.ReplaceAllString(raw, "")
		trimmed := strings.TrimLeft(text, " ")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(trimmed, "#") {
			// An action alone on its line ("{{- toYaml . | nindent 8 }}")
			// writes part of the key above it.
			if strings.TrimSpace(raw) != "" && !strings.HasPrefix(trimmed, "#") {
				lastContent = ln
			}
			continue
		}
		col := len(text) - len(trimmed)
		if blockScalar >= 0 {
			if col > blockScalar {
				lastContent = ln
				continue
			}
			blockScalar = -1
		}
		closeWhile(func(f *frame) bool { return f.indent > col })
		rest := trimmed
		// "- " opens an item of the sequence under the nearest key that
		// has no inline value.
		for rest == "-" || strings.HasPrefix(rest, "- ") {
			closeWhile(func(f *frame) bool {
				return f.indent > col || (f.indent == col && (f.item || f.inline))
			})
			exact, loose, idx := "", "", 0
			if n := len(stack); n > 0 {
				parent := stack[n-1]
				exact, loose = parent.exact, parent.loose
				if !parent.item {
					idx = parent.items
					parent.items++
				}
			}
			it := &frame{indent: col, item: true, exact: exact + "[" + strconv.Itoa(idx) + "]", loose: loose}
			it.span = t.record(it.exact, "", ln)
			stack = append(stack, it)
			after := strings.TrimLeft(rest[1:], " ")
			col += len(rest) - len(after)
			rest = after
		}
		m := keyRe.FindStringSubmatch(rest)
		if m == nil {
			lastContent = ln
			continue
		}
		closeWhile(func(f *frame) bool { return f.indent >= col })
		exact, loose := "", ""
		if n := len(stack); n > 0 {
			exact, loose = stack[n-1].exact, stack[n-1].loose
		}
		key := strings.Trim(m[1], `"'`)
		value := strings.TrimSpace(rest[len(m[0]):])
		f := &frame{
			indent: col,
			inline: value != "" && !strings.HasPrefix(value, "#"),
			exact:  exact + "/" + key,
			loose:  loose + "/" + key,
		}
		f.span = t.record(f.exact, f.loose, ln)
		stack = append(stack, f)
		if strings.HasPrefix(value, "|") || strings.HasPrefix(value, ">") {
			blockScalar = col
		}
		lastContent = ln
	}
	closeWhile(func(*frame) bool { return true })
	return t
}

// record notes where a path is written, keeping the first occurrence. The
// returned span's end is filled in when the key closes.
func (t *templateLocator) record(exact, loose string, line int) *span {
	s := &span{start: line, end: line}
	if _, ok := t.exact[exact]; !ok {
		t.exact[exact] = s
	}
	if _, ok := t.loose[loose]; !ok && loose != "" {
		t.loose[loose] = s
	}
	return s
}

func (t *templateLocator) locate(p []step, _ bool) (string, int, int, bool) {
	var exact, loose strings.Builder
	for _, s := range p {
		if s.key == "" {
			exact.WriteString("[" + strconv.Itoa(s.idx) + "]")
			continue
		}
		exact.WriteString("/" + s.key)
		loose.WriteString("/" + s.key)
	}
	if s, ok := t.exact[exact.String()]; ok {
		return "", s.start, s.end, true
	}
	if len(p) > 0 && p[len(p)-1].key != "" {
		if s, ok := t.loose[loose.String()]; ok {
			return "", s.start, s.end, true
		}
	}
	return "", 0, 0, false
}

// identity reports whether a path is one a patch repeats only to say what
// it patches (kind, name, a container's name), not to set it.
func identity(p []step) bool {
	n := len(p)
	switch {
	case n == 1:
		return p[0].key == "apiVersion" || p[0].key == "kind"
	case n == 2 && p[0].key == "metadata":
		return p[1].key == "name" || p[1].key == "namespace"
	case n >= 2:
		return p[n-1].key == "name" && p[n-2].key == ""
	}
	return false
}
