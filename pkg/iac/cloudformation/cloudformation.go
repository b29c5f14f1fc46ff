// Package cloudformation loads AWS CloudFormation templates (YAML or JSON,
// including SAM templates) and adapts their resources to the normalized
// AWS model, whose vocabulary is the Terraform AWS provider's. The AWS
// rules are written once against that vocabulary and run on CloudFormation
// unchanged.
//
// Templates are evaluated the way CloudFormation resolves them at deploy
// time: parameters (given values, then defaults), mappings, conditions and
// the intrinsic functions. What only the deployment knows (the region, the
// account, attributes of created resources, imports) stays unknown, so a
// rule never fires on a guess.
package cloudformation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"
	"gopkg.in/yaml.v3"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

// Options control a load.
type Options struct {
	// Params are values for template parameters by name (--cfn-params);
	// they win over the parameters' defaults in every template.
	Params map[string]string
}

// Match reports whether a walked file may be a template: .yaml, .yml,
// .json or .template. Whether it is one is decided by its content.
func Match(rel string) bool {
	switch strings.ToLower(path.Ext(rel)) {
	case ".yaml", ".yml", ".json", ".template":
		return true
	}
	return false
}

// LoadFiles evaluates the CloudFormation templates among files, found
// under root by a walk; other YAML and JSON files are skipped silently.
// The error is non-nil only when ctx is cancelled: unreadable or broken
// templates become entries in State.Errors.
func LoadFiles(ctx context.Context, root string, files []walk.File, opts Options) (*model.State, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	results := make([]fileResult, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			results[i] = loadOne(f, opts)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	st := &model.State{}
	for _, r := range results {
		if !r.loaded {
			continue
		}
		st.Files = append(st.Files, r.rel)
		st.Resources = append(st.Resources, r.resources...)
		st.Errors = append(st.Errors, r.errors...)
	}
	return st, nil
}

// fileResult is what one file contributes.
type fileResult struct {
	rel       string
	loaded    bool // the file is a template (even a broken one)
	resources []*model.Resource
	errors    []finding.Error
}

// loadOne reads and evaluates one file. A panic on some unforeseen input
// is turned into an error about that file rather than ending the scan.
func loadOne(f walk.File, opts Options) (res fileResult) {
	res.rel = f.Rel
	defer func() {
		if p := recover(); p != nil {
			res = fileResult{rel: f.Rel, loaded: true, errors: []finding.Error{{
				File: f.Rel, Message: fmt.Sprintf("internal error while loading this template: %v", p),
			}}}
		}
	}()
	data, err := os.ReadFile(f.Abs)
	if err != nil {
		res.loaded = true
		res.errors = append(res.errors, finding.Error{File: f.Rel, Message: "cannot read: " + unwrapPathError(err).Error()})
		return res
	}
	return loadBytes(f.Rel, data, opts)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loadBytes evaluates one file's content.
func loadBytes(rel string, data []byte, opts Options) fileResult {
	res := fileResult{rel: rel}
	if !mayBeTemplate(data) {
		return res
	}
	var doc yaml.Node
	err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc)
	if err != nil {
		if errors.Is(err, io.EOF) || !looksLikeTemplate(rel, data) {
			return res
		}
		res.loaded = true
		line, msg := syntaxError(data, err)
		res.errors = append(res.errors, finding.Error{File: rel, Line: line, Message: msg})
		return res
	}
	if len(doc.Content) == 0 {
		return res
	}
	root := resolve(doc.Content[0])
	if !isTemplate(root) {
		return res
	}
	res.loaded = true
	t := newTemplate(rel, root, len(data), opts)
	res.resources, res.errors = t.load()
	return res
}

// mayBeTemplate is a cheap test that rules out most YAML and JSON files
// before parsing: every template names a resource type or its format
// version.
func mayBeTemplate(data []byte) bool {
	return bytes.Contains(data, []byte("AWSTemplateFormatVersion")) ||
		(bytes.Contains(data, []byte("Resources")) && bytes.Contains(data, []byte("::")))
}

var resourceTypeLine = regexp.MustCompile(`(?m)["']?Type["']?\s*:\s*["']?(?:AWS|Alexa|Custom)::`)

// looksLikeTemplate decides whether a file that is not valid YAML was meant
// as a template, so that its syntax error is worth reporting.
func looksLikeTemplate(rel string, data []byte) bool {
	if bytes.Contains(data, []byte("AWSTemplateFormatVersion")) {
		return true
	}
	if !bytes.Contains(data, []byte("Resources")) {
		return false
	}
	return strings.EqualFold(path.Ext(rel), ".template") || resourceTypeLine.Match(data)
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// yamlError splits a YAML parser error into its line and message.
func yamlError(err error) (int, string) {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return line, "invalid YAML: " + msg
}

// syntaxError locates a parse error. The YAML parser reports the line
// where the construct holding the error starts, which may be far from it:
// JSON is re-read with encoding/json, whose error has the exact offset, and
// for YAML the first prefix of the file that fails the same way ends at the
// line at fault (tried for a bounded number of lines).
func syntaxError(data []byte, err error) (int, string) {
	line, msg := yamlError(err)
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var v any
		var se *json.SyntaxError
		if jerr := json.Unmarshal(data, &v); errors.As(jerr, &se) {
			// The offending byte is the last one read.
			at := min(max(int(se.Offset)-1, 0), len(data))
			return 1 + bytes.Count(data[:at], []byte("\n")), "invalid JSON: " + se.Error()
		}
		return line, msg
	}
	if line < 1 {
		return line, msg
	}
	ls := bytes.SplitAfter(data, []byte("\n"))
	end := 0
	for i := 0; i < line-1 && i < len(ls); i++ {
		end += len(ls[i])
	}
	parsed := 0
	for k := line; k <= len(ls) && k < line+maxProbeLines && parsed < maxProbeBytes; k++ {
		end += len(ls[k-1])
		parsed += end
		var n yaml.Node
		if perr := yaml.Unmarshal(data[:end], &n); perr != nil {
			if _, m := yamlError(perr); m == msg {
				return k, msg
			}
		}
	}
	return line, msg
}

// The search for the line of a YAML error tries at most this many lines
// and parses at most this many bytes in all.
const (
	maxProbeLines = 200
	maxProbeBytes = 4 << 20
)

// isTemplate tells a CloudFormation template from other YAML and JSON: it
// declares AWSTemplateFormatVersion, or its Resources include at least one
// AWS:: type.
func isTemplate(root *yaml.Node) bool {
	if root.Kind != yaml.MappingNode {
		return false
	}
	if mappingGet(root, "AWSTemplateFormatVersion") != nil {
		return true
	}
	rs := mappingGet(root, "Resources")
	if rs == nil {
		return false
	}
	rs = resolve(rs)
	if rs.Kind != yaml.MappingNode {
		return false
	}
	for i := 1; i < len(rs.Content); i += 2 {
		if t := mappingGet(rs.Content[i], "Type"); t != nil && strings.HasPrefix(resolve(t).Value, "AWS::") {
			return true
		}
	}
	return false
}
