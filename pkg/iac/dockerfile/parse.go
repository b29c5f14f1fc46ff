package dockerfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/zclconf/go-cty/cty"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// Parse turns one Dockerfile's contents into a resource named rel. It
// returns nil and no error for a file without instructions, and an error
// with the line BuildKit blames for a file it would refuse to build.
func Parse(rel string, data []byte) (*model.Resource, *finding.Error) {
	result, err := parser.Parse(bytes.NewReader(sanitize(data)))
	if err != nil {
		if strings.Contains(err.Error(), "file with no instructions") {
			return nil, nil
		}
		return nil, &finding.Error{File: rel, Line: errorLine(err, data), Message: err.Error()}
	}
	b := &builder{
		rel:    rel,
		lex:    shell.NewLex(result.EscapeToken),
		lint:   linter.New(&linter.Config{SkipAll: true}),
		global: &vars{},
		body:   &model.Block{Attrs: map[string]*model.Attribute{}},
	}
	b.lex.SkipUnsetEnv = true
	for _, node := range result.AST.Children {
		if ferr := b.add(node); ferr != nil {
			return nil, ferr
		}
	}
	if len(b.stages) == 0 {
		return nil, &finding.Error{File: rel, Line: result.AST.Children[0].StartLine, Message: "no FROM instruction: the Dockerfile has no stage to build"}
	}
	b.stages[len(b.stages)-1].block.Attrs["final"] = b.attr("final", cty.True, b.stages[len(b.stages)-1].from)
	return &model.Resource{
		Mode:   model.Managed,
		Type:   Format,
		Name:   rel,
		Label:  rel,
		Root:   rel,
		Format: Format,
		Range:  model.Range{File: rel, StartLine: 1, EndLine: b.lastLine},
		Body:   b.body,
	}, nil
}

// escapeDirective is the escape parser directive, the one directive whose
// value the parser rejects.
var escapeDirective = regexp.MustCompile(`(?i)^#\s*escape\s*=`)

// sanitize replaces what BuildKit's word lexer (text/scanner) would
// complain about on standard error, invalid UTF-8, NUL and a byte-order mark
// past the start, with U+FFFD: such bytes are never meaningful in a
// Dockerfile, and a scan's output must not carry a parser's stray messages.
func sanitize(data []byte) []byte {
	if utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 && bytes.LastIndex(data, bom) <= 0 {
		return data
	}
	head := []byte{}
	if bytes.HasPrefix(data, bom) {
		head, data = bom, data[len(bom):]
	}
	data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	data = bytes.ReplaceAll(data, []byte{0}, []byte("\uFFFD"))
	data = bytes.ReplaceAll(data, bom, []byte("\uFFFD"))
	return append(append([]byte{}, head...), data...)
}

var bom = []byte("\xef\xbb\xbf")

// errorLine is the first line a BuildKit error points at, at least 1. The
// parser counts lines from 0 for a bad directive, so that line is found here.
func errorLine(err error, data []byte) int {
	if strings.HasPrefix(err.Error(), "invalid escape token") {
		for i, line := range strings.SplitN(string(data), "\n", 64) {
			if escapeDirective.MatchString(strings.TrimSpace(line)) {
				return i + 1
			}
		}
	}
	var le *parser.LocationError
	if errors.As(err, &le) {
		for _, loc := range le.Locations {
			if len(loc) > 0 && loc[0].Start.Line > 0 {
				return loc[0].Start.Line
			}
		}
	}
	return 1
}

// builder accumulates the model of one file, instruction by instruction,
// tracking variables the way BuildKit's dispatcher does.
type builder struct {
	rel      string
	lex      *shell.Lex
	lint     *linter.Linter
	global   *vars // ARGs before the first FROM
	body     *model.Block
	stages   []*stage
	lastLine int
}

type stage struct {
	name  string
	block *model.Block
	from  model.Range
	vars  *vars
}

func (b *builder) add(node *parser.Node) *finding.Error {
	rng := model.Range{File: b.rel, StartLine: node.StartLine, EndLine: node.EndLine}
	b.lastLine = max(b.lastLine, node.EndLine)
	v, err := instructions.ParseInstructionWithLinter(node, b.lint)
	if err != nil {
		return &finding.Error{File: b.rel, Line: node.StartLine, Message: err.Error()}
	}
	if st, ok := v.(*instructions.Stage); ok {
		b.addStage(node, st, rng)
		return nil
	}
	if len(b.stages) == 0 {
		arg, ok := v.(*instructions.ArgCommand)
		if !ok {
			return &finding.Error{File: b.rel, Line: node.StartLine, Message: fmt.Sprintf("%s before the first FROM: only ARG may come before FROM", strings.ToUpper(node.Value))}
		}
		b.body.Blocks = append(b.body.Blocks, b.instruction(node, rng, b.args(node, arg, b.global, b.global)))
		return nil
	}
	cur := b.stages[len(b.stages)-1]
	cur.block.Blocks = append(cur.block.Blocks, b.instruction(node, rng, b.args(node, v, cur.vars, b.global)))
	cur.block.Range.EndLine = node.EndLine
	return nil
}

func (b *builder) addStage(node *parser.Node, st *instructions.Stage, rng model.Range) {
	index := len(b.stages)
	base := b.expand(st.BaseName, b.global)
	s := &stage{name: st.Name, from: rng, vars: &vars{}}
	// A stage built on an earlier one inherits its environment.
	for i := len(b.stages) - 1; i >= 0; i-- {
		if prev := b.stages[i]; prev.name != "" && strings.EqualFold(prev.name, base) {
			s.vars.env = prev.vars.env.clone()
			break
		}
	}
	label := st.Name
	if label == "" {
		label = strconv.Itoa(index)
	}
	args := nodeArgs(node)
	if len(args) > 0 {
		args[0] = base
	}
	s.block = &model.Block{
		Type:   "stage",
		Labels: []string{label},
		Range:  rng,
		Attrs: map[string]*model.Attribute{
			"name":  b.attr("name", cty.StringVal(st.Name), rng),
			"index": b.attr("index", cty.NumberIntVal(int64(index)), rng),
			"base":  b.attr("base", cty.StringVal(base), rng),
			"final": b.attr("final", cty.False, rng),
		},
		Blocks: []*model.Block{b.instruction(node, rng, args)},
	}
	b.stages = append(b.stages, s)
	b.body.Blocks = append(b.body.Blocks, s.block)
}

// args returns an instruction's arguments, expanded as BuildKit would, and
// records the variables it defines. global holds the ARGs declared before
// the first FROM, which an ARG without a default inside a stage takes its
// value from.
func (b *builder) args(node *parser.Node, v any, vs, global *vars) []string {
	switch c := v.(type) {
	case *instructions.EnvCommand:
		// Every value is expanded with the variables as they were before
		// the instruction: ENV A=1 B=$A gives B the previous A.
		out := make([]string, 0, len(c.Env))
		type kv struct{ k, v string }
		var set []kv
		for _, p := range c.Env {
			k, val := b.expand(p.Key, vs), b.expand(p.Value, vs)
			out = append(out, k+"="+val)
			set = append(set, kv{k, val})
		}
		for _, p := range set {
			vs.env.set(p.k, p.v)
		}
		return out
	case *instructions.ArgCommand:
		out := make([]string, 0, len(c.Args))
		for _, p := range c.Args {
			k := b.expand(p.Key, vs)
			if p.Value == nil {
				out = append(out, k)
				if vs != global {
					if gv, ok := global.args.get(k); ok {
						vs.args.set(k, gv)
					}
				}
				continue
			}
			val := b.expand(*p.Value, vs)
			out = append(out, k+"="+val)
			vs.args.set(k, val)
		}
		return out
	case *instructions.LabelCommand:
		out := make([]string, 0, len(c.Labels))
		for _, p := range c.Labels {
			out = append(out, b.expand(p.Key, vs)+"="+b.expand(p.Value, vs))
		}
		return out
	case *instructions.AddCommand, *instructions.CopyCommand, *instructions.ExposeCommand,
		*instructions.UserCommand, *instructions.WorkdirCommand, *instructions.VolumeCommand,
		*instructions.StopSignalCommand:
		args := nodeArgs(node)
		for i, a := range args {
			args[i] = b.expand(a, vs)
		}
		return args
	}
	return nodeArgs(node)
}

// expand substitutes the known variables in one word and removes its
// quotes, as BuildKit does. Unknown variables stay as written; a word BuildKit
// could not expand is kept whole.
func (b *builder) expand(word string, vs *vars) string {
	out, _, err := b.lex.ProcessWord(word, vs)
	if err != nil {
		return word
	}
	return out
}

func (b *builder) instruction(node *parser.Node, rng model.Range, args []string) *model.Block {
	heredocs := make([]string, 0, len(node.Heredocs))
	for _, h := range node.Heredocs {
		content := h.Content
		if h.Chomp {
			content = parser.ChompHeredocContent(content)
		}
		heredocs = append(heredocs, content)
	}
	return &model.Block{
		Type:  strings.ToLower(node.Value),
		Range: rng,
		Attrs: map[string]*model.Attribute{
			"args":     b.attr("args", stringsVal(args), rng),
			"original": b.attr("original", cty.StringVal(node.Original), rng),
			"flags":    b.attr("flags", stringsVal(node.Flags), rng),
			"heredocs": b.attr("heredocs", stringsVal(heredocs), rng),
			"json":     b.attr("json", cty.BoolVal(node.Attributes["json"]), rng),
		},
	}
}

func (b *builder) attr(name string, v cty.Value, rng model.Range) *model.Attribute {
	return &model.Attribute{Name: name, Value: v, Range: rng}
}

func stringsVal(ss []string) cty.Value {
	if len(ss) == 0 {
		return cty.EmptyTupleVal
	}
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = cty.StringVal(strings.ToValidUTF8(s, "\uFFFD"))
	}
	return cty.TupleVal(vals)
}

// nodeArgs flattens a node's arguments, sub-commands (ONBUILD RUN ...)
// included, the way BuildKit's instructions package does.
func nodeArgs(node *parser.Node) []string {
	var out []string
	for ; node.Next != nil; node = node.Next {
		arg := node.Next
		switch len(arg.Children) {
		case 0:
			out = append(out, arg.Value)
		case 1:
			out = append(out, arg.Children[0].Value)
			out = append(out, nodeArgs(arg.Children[0])...)
		}
	}
	return out
}

// looksLikeDockerfile reports whether the first line that is neither blank
// nor a comment starts with FROM or ARG, as every buildable Dockerfile's
// does: Dockerfile.md or notes.dockerfile may be anything.
func looksLikeDockerfile(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, bom)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word := strings.ToLower(strings.FieldsFunc(line, unicode.IsSpace)[0])
		return word == "from" || word == "arg"
	}
	return false
}
