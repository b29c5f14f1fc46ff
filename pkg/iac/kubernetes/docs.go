package kubernetes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"gopkg.in/yaml.v3"
)

// chunk is the text of one YAML document and the number of lines before it.
type chunk struct {
	text []byte
	off  int
}

// splitDocuments cuts a YAML stream at its document markers. Parsing each
// document on its own lets a file report the line of a syntax error
// precisely, and lets the caller tell a broken Kubernetes document from a
// broken document of some other YAML format. A line starting with "---"
// is a marker wherever it is, even inside a block scalar, as YAML says.
func splitDocuments(src []byte) []chunk {
	var out []chunk
	start, startLine, line := 0, 0, 0
	for i := 0; i < len(src); {
		end := bytes.IndexByte(src[i:], '\n')
		next := len(src)
		if end >= 0 {
			next = i + end + 1
		}
		l := src[i:next]
		switch {
		case isMarker(l, "---") && i > start:
			out = append(out, chunk{text: src[start:i], off: startLine})
			start, startLine = i, line
		case isMarker(l, "..."):
			out = append(out, chunk{text: src[start:next], off: startLine})
			start, startLine = next, line+1
		}
		i = next
		line++
	}
	if start < len(src) {
		out = append(out, chunk{text: src[start:], off: startLine})
	}
	return out
}

func isMarker(line []byte, m string) bool {
	if !bytes.HasPrefix(line, []byte(m)) {
		return false
	}
	rest := line[len(m):]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\r' || rest[0] == '\n'
}

// document is one parsed YAML document: its root node and the lines before it.
type document struct {
	node *yaml.Node
	off  int
}

// parseError is a YAML syntax error, with the 1-based line of the file.
type parseError struct {
	line    int
	msg     string
	chunk   []byte
	fileOff int
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parseDocuments parses every document of src. The documents after a
// broken one are still parsed; the errors are returned beside them.
func parseDocuments(src []byte) ([]document, []*parseError) {
	var docs []document
	var errs []*parseError
	for _, c := range splitDocuments(src) {
		dec := yaml.NewDecoder(bytes.NewReader(c.text))
		for {
			var n yaml.Node
			err := dec.Decode(&n)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				errs = append(errs, newParseError(err, c))
				break
			}
			if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
				docs = append(docs, document{node: n.Content[0], off: c.off})
			}
		}
	}
	return docs, errs
}

func newParseError(err error, c chunk) *parseError {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			line = n
		}
		msg = msg[len(m[0]):]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	return &parseError{line: line + c.off, msg: msg, chunk: c.text}
}

var (
	yamlAPIVersion = regexp.MustCompile(`(?m)^["']?apiVersion["']?[ \t]*:`)
	yamlKind       = regexp.MustCompile(`(?m)^["']?kind["']?[ \t]*:`)
	jsonAPIVersion = regexp.MustCompile(`"apiVersion"\s*:`)
	jsonKind       = regexp.MustCompile(`"kind"\s*:`)
)

// looksLikeObject reports whether unparsable text is probably a Kubernetes
// object: it has top-level apiVersion and kind keys. Other broken YAML
// belongs to some other format and is left to it.
func looksLikeObject(text []byte) bool {
	return (yamlAPIVersion.Match(text) && yamlKind.Match(text)) ||
		(jsonAPIVersion.Match(text) && jsonKind.Match(text))
}

// objects returns the Kubernetes objects a document holds: itself, or the
// items of a List.
func objects(n *yaml.Node, depth int) []*yaml.Node {
	n, _ = resolve(n)
	if n.Kind != yaml.MappingNode {
		return nil
	}
	apiVersion, kind := scalarField(n, "apiVersion"), scalarField(n, "kind")
	if apiVersion == "" || kind == "" {
		return nil
	}
	if strings.HasSuffix(kind, "List") {
		if items := field(n, "items"); items != nil {
			items, _ = resolve(items)
			if items.Kind != yaml.SequenceNode || depth > 4 {
				return nil
			}
			var out []*yaml.Node
			for _, it := range items.Content {
				out = append(out, objects(it, depth+1)...)
			}
			return out
		}
	}
	// Kustomize's own configuration looks like an object but never reaches
	// a cluster.
	if strings.HasPrefix(apiVersion, "kustomize.config.k8s.io/") {
		return nil
	}
	return []*yaml.Node{n}
}

// field returns the value of a mapping's key, or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalarField(n *yaml.Node, key string) string {
	v := field(n, key)
	if v == nil {
		return ""
	}
	if v, _ = resolve(v); v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// lastLine is the last line a node's text occupies (aliases count as their
// own line).
func lastLine(n *yaml.Node) int {
	end := n.Line
	switch n.Kind {
	case yaml.ScalarNode:
		end = scalarEnd(n)
	case yaml.MappingNode, yaml.SequenceNode, yaml.DocumentNode:
		if len(n.Content) > 0 {
			end = max(end, lastLine(n.Content[len(n.Content)-1]))
		}
	}
	return end
}

// objectStart is the line an object's text starts at: its first key.
func objectStart(n *yaml.Node) int {
	if len(n.Content) > 0 {
		return n.Content[0].Line
	}
	return n.Line
}

// newResource converts one object into a model resource. rng is the object's
// range in its source.
func newResource(c *converter, n *yaml.Node, rng model.Range) (*model.Resource, error) {
	body, err := c.body(n, rng)
	if err != nil {
		return nil, err
	}
	kind, _ := body.Attr("kind").String()
	meta := body.Block("metadata")
	name, _ := meta.Attr("name").String()
	if name == "" {
		name, _ = meta.Attr("generateName").String()
	}
	label := kind + "/" + name
	if ns, _ := meta.Attr("namespace").String(); ns != "" {
		label = ns + "/" + label
	}
	return &model.Resource{
		Mode:   model.Managed,
		Type:   kind,
		Name:   name,
		Range:  rng,
		Body:   body,
		Format: "kubernetes",
		Label:  label,
	}, nil
}

// loadManifest reads the objects of a plain manifest file. ok is false when
// the file is not Kubernetes at all and should be skipped silently.
func loadManifest(rel string, src []byte) (res []*model.Resource, errs []finding.Error, ok bool) {
	if !bytes.Contains(src, []byte("apiVersion")) || !bytes.Contains(src, []byte("kind")) {
		return nil, nil, false
	}
	if strings.HasSuffix(rel, ".json") {
		// JSON allows tabs where YAML does not; in valid JSON a tab is
		// only ever whitespace between tokens (inside strings it must be
		// escaped), so this keeps the meaning and every line number.
		src = bytes.ReplaceAll(src, []byte{'\t'}, []byte{' '})
	}
	docs, perrs := parseDocuments(src)
	var objs []*yaml.Node
	var offs []int
	for _, d := range docs {
		for _, o := range objects(d.node, 0) {
			objs = append(objs, o)
			offs = append(offs, d.off)
		}
	}
	kube := len(objs) > 0
	for _, pe := range perrs {
		kube = kube || looksLikeObject(pe.chunk)
	}
	if !kube {
		return nil, nil, false
	}
	if len(perrs) > 0 {
		// Like kubectl, which stops at the first broken document, and like
		// every other format: a file that does not parse contributes its
		// errors and nothing else.
		for _, pe := range perrs {
			errs = append(errs, finding.Error{File: rel, Line: pe.line, Message: "invalid YAML: " + pe.msg})
		}
		return nil, errs, true
	}
	for i, o := range objs {
		c := newConverter(rel, offs[i], nil)
		rng := model.Range{File: rel, StartLine: objectStart(o) + offs[i], EndLine: lastLine(o) + offs[i]}
		r, err := newResource(c, o, rng)
		if err != nil {
			errs = append(errs, finding.Error{File: rel, Line: rng.StartLine, Message: err.Error()})
			continue
		}
		res = append(res, r)
	}
	return res, errs, true
}

// errorf makes an error entry; line 0 becomes 1 so that every entry points
// somewhere.
func errorf(file string, line int, format string, args ...any) finding.Error {
	return finding.Error{File: file, Line: max(line, 1), Message: fmt.Sprintf(format, args...)}
}
