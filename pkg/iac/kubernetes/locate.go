package kubernetes

import (
	"regexp"
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
	n := y.node
	line := objectStart(n)
	for _, s := range p {
		n, _ = resolve(n)
		if s.key == "" {
			e := element(n, s)
			if e == nil {
				return "", 0, 0, false
			}
			n, line = e, e.Line
			continue
		}
		if n.Kind != yaml.MappingNode {
			return "", 0, 0, false
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == s.key {
				line, n, found = k.Line, n.Content[i+1], true
			}
		}
		if !found {
			return "", 0, 0, false
		}
	}
	return y.file, line + y.off, max(line, lastLine(n)) + y.off, true
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
