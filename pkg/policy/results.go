package policy

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// results turns the value of a deny or warn rule into Results. A partial
// set rule gives a list of messages; a boolean rule (`deny if ...`) one
// message, its title; a single string or object one result.
func (q *query) results(v any, idx *resourceIndex) ([]Result, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case bool:
		if !v {
			return nil, nil
		}
		return []Result{{Rule: q.rule, Range: q.at, Message: q.rule.Title}}, nil
	case []any:
		out := make([]Result, 0, len(v))
		for _, e := range v {
			r, err := q.result(e, idx)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	case map[string]any:
		if _, ok := v["msg"]; ok {
			break
		}
		if _, ok := v["message"]; ok {
			break
		}
		// A partial object rule, deny[key] := msg: every value is a result.
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make([]Result, 0, len(v))
		for _, k := range keys {
			r, err := q.result(v[k], idx)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	r, err := q.result(v, idx)
	if err != nil {
		return nil, err
	}
	return []Result{r}, nil
}

// result reads one message: a string, or an object
// {"msg", "resource"?, "file"?, "severity"?, "id"?}.
func (q *query) result(e any, idx *resourceIndex) (Result, error) {
	r := Result{Rule: q.rule, Range: q.at}
	obj, ok := e.(map[string]any)
	if !ok {
		r.Message = text(e)
		if r.Message == "" {
			r.Message = q.rule.Title
		}
		return r, nil
	}
	msg, ok := obj["msg"]
	if !ok {
		msg = obj["message"]
	}
	r.Message = text(msg)
	if r.Message == "" {
		r.Message = q.rule.Title
	}
	if s, ok := obj["severity"].(string); ok && s != "" {
		sev, err := finding.ParseSeverity(s)
		if err != nil {
			return Result{}, fmt.Errorf("%s: %s.%s: result severity: %w", where(q.at), q.pkg, q.kind, err)
		}
		r.Rule.Severity = sev
	}
	if id, ok := obj["id"].(string); ok && id != "" {
		r.Rule.ID = id
	}
	addr, file := "", str(obj, "file")
	switch res := obj["resource"].(type) {
	case string:
		addr = res
	case map[string]any:
		// The resource object from input.resources itself.
		addr = str(res, "address")
		if file == "" {
			file = str(res, "file")
		}
	}
	if addr != "" {
		if res := idx.find(addr, file); res != nil {
			r.Resource, r.Range = res, res.Range
		}
	}
	return r, nil
}

// text is a message as text: strings as they are, anything else as JSON.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// resourceIndex finds resources by address, built on first use: most
// policy runs name few resources, and some none.
type resourceIndex struct {
	st     *model.State
	byAddr map[string][]*model.Resource
}

func newResourceIndex(st *model.State) *resourceIndex { return &resourceIndex{st: st} }

// find returns the resource with this address, in file when given.
// Addresses of Kubernetes objects and CloudFormation resources can repeat
// across files; without a file the first in load order is taken.
func (x *resourceIndex) find(addr, file string) *model.Resource {
	if x.byAddr == nil {
		x.byAddr = make(map[string][]*model.Resource, len(x.st.Resources))
		for _, r := range x.st.Resources {
			a := r.Address()
			x.byAddr[a] = append(x.byAddr[a], r)
		}
	}
	for _, r := range x.byAddr[addr] {
		if file == "" || r.Range.File == file {
			return r
		}
	}
	return nil
}
