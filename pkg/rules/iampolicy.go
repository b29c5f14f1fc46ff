package rules

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// This file reads IAM policy documents, whichever way a configuration
// writes them: a JSON string (jsonencode, a heredoc or a literal) or an
// aws_iam_policy_document data source. Every policy rule (identity policies,
// trust policies, S3 bucket policies) looks at the same statement shape.
//
// Unknown values are left out rather than guessed: a value list holds the
// elements that are known, and records whether it is complete. A rule looking
// for a bad value finds it when it is written down, and a rule that needs the
// whole list (NotAction, for instance) can tell it cannot see all of it.

// policy is one IAM policy document.
type policy struct {
	Statements []*statement
}

// statement is one policy statement, with the place a finding about it
// points at: the policy attribute for JSON, the statement block for a
// policy document data source.
type statement struct {
	// Effect is "Allow" or "Deny" as written; empty when it is unknown.
	Effect        string
	Sid           string
	Actions       values
	NotActions    values
	Resources     values
	NotResources  values
	Principals    principals
	NotPrincipals principals
	Conditions    []condition
	// ConditionsComplete is false when some condition could not be read
	// (unknown values): a rule must not conclude that a condition is absent.
	ConditionsComplete bool

	// Res is the resource the finding belongs to: the resource holding the
	// JSON attribute, or the aws_iam_policy_document data source.
	Res   *model.Resource
	Range model.Range
	// Doc is true when the statement comes from a policy document data source.
	Doc bool
}

// values is a set of strings as written in a policy element.
type values struct {
	// Present is true when the element is written at all.
	Present bool
	// Known holds the known values, in source order.
	Known []string
	// Complete is false when some value is unknown.
	Complete bool
}

// principals maps a principal type ("AWS", "Service", "Federated",
// "CanonicalUser", or "*" for `"Principal": "*"`) to its identifiers.
type principals struct {
	Present  bool
	ByType   map[string][]string
	Complete bool
}

// condition is one condition test: operator, key and values.
type condition struct {
	Operator string
	Key      string
	Values   []string
}

// allow reports whether the statement is known to allow.
func (st *statement) allow() bool { return strings.EqualFold(st.Effect, "Allow") }

// hasPrincipal reports whether the statement names principals at all, which
// only resource-based and trust policies do.
func (st *statement) hasPrincipal() bool { return st.Principals.Present || st.NotPrincipals.Present }

// anyPrincipal returns the written value that makes the statement apply to
// everyone: "*" (as Principal "*" or an AWS principal "*"), or "NotPrincipal"
// for an Allow with NotPrincipal, which grants everyone but the few named.
func (st *statement) anyPrincipal() (string, bool) {
	for _, typ := range []string{"*", "AWS"} {
		for _, id := range st.Principals.ByType[typ] {
			if id == "*" {
				return "*", true
			}
		}
	}
	if st.NotPrincipals.Present {
		return "NotPrincipal", true
	}
	return "", false
}

// hasCondition reports whether the statement is known to carry a condition;
// known reports whether that can be told at all.
func (st *statement) hasCondition() (has, known bool) {
	if len(st.Conditions) > 0 {
		return true, true
	}
	return false, st.ConditionsComplete
}

// grants returns the written action that grants action (a full name such as
// "iam:PassRole"): an Action pattern that matches it, or "NotAction" when a
// complete NotAction list leaves it allowed.
func (st *statement) grants(action string) (string, bool) {
	for _, a := range st.Actions.Known {
		if wildcardMatch(a, action) {
			return a, true
		}
	}
	if st.NotActions.Present && st.NotActions.Complete {
		for _, a := range st.NotActions.Known {
			if wildcardMatch(a, action) {
				return "", false
			}
		}
		return "NotAction", true
	}
	return "", false
}

// allActions returns the written action meaning every action.
func (st *statement) allActions() (string, bool) {
	for _, a := range st.Actions.Known {
		if a == "*" || a == "*:*" {
			return a, true
		}
	}
	return "", false
}

// allResources reports whether the statement applies to every resource.
func (st *statement) allResources() bool {
	for _, r := range st.Resources.Known {
		if r == "*" {
			return true
		}
	}
	return false
}

// wildcardMatch matches an IAM action or resource pattern, where * matches
// any run of characters and ? one character. Action names are case
// insensitive in IAM, and so is this match.
func wildcardMatch(pattern, s string) bool {
	p, t := strings.ToLower(pattern), strings.ToLower(s)
	// Iterative matcher with backtracking to the last star: linear enough
	// for policy-sized strings and no recursion on hostile input.
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// readPolicies returns the policy documents an attribute such as `policy` or
// `assume_role_policy` holds. A known JSON string is parsed; its statements
// point at the attribute. A jsonencode(...) whose string is unknown (one ARN
// in it is enough) is read from the value it encodes, unknown parts left
// out; its statements point at the attribute too. An unknown value that
// refers to aws_iam_policy_document data sources is read from those
// documents; its statements point at their statement blocks. Anything else
// (JSON that does not parse, a value from outside the configuration) gives
// nothing: the rules cannot tell, so they say nothing.
func readPolicies(s *model.State, res *model.Resource, a *model.Attribute) []*policy {
	if a == nil {
		return nil
	}
	// Several rules read every policy: parse each once per scan.
	return s.Derived(policyKey{a}, func() any { return readPoliciesOnce(s, res, a) }).([]*policy)
}

// policyKey names a parsed policy among a state's derived values.
type policyKey struct{ attr *model.Attribute }

func readPoliciesOnce(s *model.State, res *model.Resource, a *model.Attribute) []*policy {
	var p *policy
	var err error
	switch {
	case a.Known():
		text, ok := a.String()
		if !ok {
			return nil
		}
		p, err = parsePolicyJSON(text)
	case a.Decoded != cty.NilVal:
		p, err = policyFromValue(a.Decoded)
		if errors.Is(err, errUnknownPolicy) {
			p, err = nil, nil // perhaps it encodes a document's JSON
		}
	}
	if err != nil {
		return nil
	}
	if p != nil {
		for _, st := range p.Statements {
			st.Res, st.Range = res, a.Range
		}
		return []*policy{p}
	}
	var out []*policy
	for _, doc := range referencedDocuments(s, res, a) {
		out = append(out, readDocument(doc))
	}
	return out
}

// referencedDocuments resolves the aws_iam_policy_document data sources an
// attribute refers to. Refs carry base addresses, so a document with count
// or for_each has several instances; the one with the referring resource's
// own key is taken when there is one (the usual count.index pairing).
func referencedDocuments(s *model.State, res *model.Resource, a *model.Attribute) []*model.Resource {
	var out []*model.Resource
	for _, ref := range a.Refs {
		var same, all []*model.Resource
		for _, doc := range s.DataOfType("aws_iam_policy_document") {
			if doc.BaseAddress() != ref {
				continue
			}
			all = append(all, doc)
			if doc.Key == res.Key {
				same = append(same, doc)
			}
		}
		if len(same) > 0 {
			all = same
		}
		out = append(out, all...)
	}
	return out
}

// readDocument reads the statement blocks of an aws_iam_policy_document.
func readDocument(doc *model.Resource) *policy {
	p := &policy{}
	for _, b := range doc.Body.BlocksOf("statement") {
		st := &statement{
			Effect:             "Allow", // the data source's default
			Actions:            blockValues(b, "actions"),
			NotActions:         blockValues(b, "not_actions"),
			Resources:          blockValues(b, "resources"),
			NotResources:       blockValues(b, "not_resources"),
			Principals:         blockPrincipals(b, "principals"),
			NotPrincipals:      blockPrincipals(b, "not_principals"),
			ConditionsComplete: true,
			Res:                doc,
			Range:              b.Range,
			Doc:                true,
		}
		if a := b.Attr("effect"); a != nil {
			st.Effect, _ = a.String() // unknown leaves it empty: neither Allow nor Deny
		}
		st.Sid, _ = b.Attr("sid").String()
		for _, c := range b.BlocksOf("condition") {
			op, ok1 := c.Attr("test").String()
			key, ok2 := c.Attr("variable").String()
			vals, ok3 := c.Attr("values").Strings()
			if !ok1 || !ok2 || !ok3 {
				st.ConditionsComplete = false
			}
			st.Conditions = append(st.Conditions, condition{Operator: op, Key: key, Values: vals})
		}
		p.Statements = append(p.Statements, st)
	}
	return p
}

func blockValues(b *model.Block, name string) values {
	a := b.Attr(name)
	if a == nil || (a.Value.IsKnown() && a.Value.IsNull()) {
		return values{Complete: true}
	}
	known, ok := a.Strings()
	return values{Present: true, Known: known, Complete: ok}
}

func blockPrincipals(b *model.Block, name string) principals {
	out := principals{ByType: map[string][]string{}, Complete: true}
	for _, pb := range b.BlocksOf(name) {
		out.Present = true
		typ, ok := pb.Attr("type").String()
		ids, idsOK := pb.Attr("identifiers").Strings()
		if !ok || !idsOK {
			out.Complete = false
		}
		if ok {
			out.ByType[typ] = append(out.ByType[typ], ids...)
		}
	}
	return out
}

// parsePolicyJSON reads a policy document written as JSON. It is read as
// the value jsonencode would have been given, so both forms share one
// reader. Element names are matched case-insensitively, as IAM's parser does.
func parsePolicyJSON(text string) (*policy, error) {
	data := []byte(text)
	ty, err := ctyjson.ImpliedType(data)
	if err != nil {
		return nil, fmt.Errorf("policy is not JSON: %w", err)
	}
	v, err := ctyjson.Unmarshal(data, ty)
	if err != nil {
		return nil, fmt.Errorf("policy is not JSON: %w", err)
	}
	return policyFromValue(v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// errUnknownPolicy is policyFromValue's answer for a document whose
// statements cannot be seen at all.
var errUnknownPolicy = errors.New("the policy document is unknown")

// policyFromValue reads a policy document from the value given to
// jsonencode, the same way parsePolicyJSON reads the JSON it would encode
// to, except that parts known only after apply are left out: an unknown
// string in a value list makes it incomplete (so an unknown Resource is
// never "*"), an unknown Principal is present but names no one, an unknown
// condition makes the conditions incomplete, and an unknown statement is
// skipped.
func policyFromValue(v cty.Value) (*policy, error) {
	v, _ = v.UnmarkDeep()
	if !v.IsKnown() {
		return nil, errUnknownPolicy
	}
	if !isObjectLike(v) {
		return nil, fmt.Errorf("policy is not an object")
	}
	raw, ok := lookupValue(v, "Statement")
	if !ok {
		return nil, fmt.Errorf("policy has no Statement")
	}
	if !raw.IsKnown() {
		return nil, errUnknownPolicy
	}
	var list []cty.Value
	switch {
	case isListLike(raw):
		list = elements(raw)
	case isObjectLike(raw):
		list = []cty.Value{raw}
	default:
		return nil, fmt.Errorf("Statement is neither an object nor a list")
	}
	p := &policy{}
	for i, item := range list {
		if !item.IsKnown() {
			continue
		}
		if !isObjectLike(item) {
			return nil, fmt.Errorf("Statement[%d] is not an object", i)
		}
		st, err := valueStatement(item)
		if err != nil {
			return nil, fmt.Errorf("Statement[%d]: %w", i, err)
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

func valueStatement(m cty.Value) (*statement, error) {
	st := &statement{ConditionsComplete: true}
	if v, ok := lookupValue(m, "Effect"); ok && v.IsKnown() {
		if v.IsNull() || v.Type() != cty.String {
			return nil, fmt.Errorf("Effect is not a string")
		}
		st.Effect = v.AsString() // unknown leaves it empty: neither Allow nor Deny
	}
	if v, ok := lookupValue(m, "Sid"); ok && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		st.Sid = v.AsString()
	}
	var err error
	for _, f := range []struct {
		name string
		dst  *values
	}{
		{"Action", &st.Actions},
		{"NotAction", &st.NotActions},
		{"Resource", &st.Resources},
		{"NotResource", &st.NotResources},
	} {
		if *f.dst, err = valueValues(m, f.name); err != nil {
			return nil, err
		}
	}
	if st.Principals, err = valuePrincipals(m, "Principal"); err != nil {
		return nil, err
	}
	if st.NotPrincipals, err = valuePrincipals(m, "NotPrincipal"); err != nil {
		return nil, err
	}
	v, ok := lookupValue(m, "Condition")
	if !ok {
		return st, nil
	}
	if !v.IsKnown() {
		st.ConditionsComplete = false
		return st, nil
	}
	if !isObjectLike(v) {
		return nil, fmt.Errorf("Condition is not an object")
	}
	for _, op := range valueKeys(v) {
		keys := member(v, op)
		if !keys.IsKnown() {
			st.ConditionsComplete = false
			continue
		}
		if !isObjectLike(keys) {
			return nil, fmt.Errorf("Condition %q is not an object", op)
		}
		for _, key := range valueKeys(keys) {
			vals, complete, err := valueList(member(keys, key), conditionText)
			if err != nil {
				return nil, fmt.Errorf("Condition %s %s: %w", op, key, err)
			}
			if !complete {
				st.ConditionsComplete = false
			}
			st.Conditions = append(st.Conditions, condition{Operator: op, Key: key, Values: vals})
		}
	}
	return st, nil
}

func valueValues(m cty.Value, name string) (values, error) {
	v, ok := lookupValue(m, name)
	if !ok || (v.IsKnown() && v.IsNull()) {
		return values{Complete: true}, nil
	}
	list, complete, err := valueList(v, stringText)
	if err != nil {
		return values{}, fmt.Errorf("%s: %w", name, err)
	}
	return values{Present: true, Known: list, Complete: complete}, nil
}

func valuePrincipals(m cty.Value, name string) (principals, error) {
	out := principals{ByType: map[string][]string{}, Complete: true}
	v, ok := lookupValue(m, name)
	if !ok || (v.IsKnown() && v.IsNull()) {
		return out, nil
	}
	out.Present = true
	switch {
	case !v.IsKnown():
		out.Complete = false // someone, but not known to be everyone
	case v.Type() == cty.String:
		if s := v.AsString(); s != "*" {
			return out, fmt.Errorf("%s is the string %q; only \"*\" may be written as a string", name, s)
		}
		out.ByType["*"] = []string{"*"}
	case isObjectLike(v):
		for _, typ := range valueKeys(v) {
			ids, complete, err := valueList(member(v, typ), stringText)
			if err != nil {
				return out, fmt.Errorf("%s %s: %w", name, typ, err)
			}
			if !complete {
				out.Complete = false
			}
			out.ByType[typ] = append(out.ByType[typ], ids...)
		}
	default:
		return out, fmt.Errorf("%s is neither \"*\" nor an object", name)
	}
	return out, nil
}

// valueList reads one value or a list of them, as stringOrList and
// conditionValues do; complete is false when some of it is unknown.
func valueList(v cty.Value, conv func(cty.Value) (string, bool)) (out []string, complete bool, err error) {
	if !v.IsKnown() {
		return nil, false, nil
	}
	if v.IsNull() {
		return nil, true, fmt.Errorf("neither a string nor a list of strings")
	}
	if !isListLike(v) {
		s, ok := conv(v)
		if !ok {
			return nil, true, fmt.Errorf("neither a string nor a list of strings")
		}
		return []string{s}, true, nil
	}
	complete = true
	for _, e := range elements(v) {
		if !e.IsKnown() {
			complete = false
			continue
		}
		s, ok := conv(e)
		if !ok {
			return nil, true, fmt.Errorf("list element %#v is not a string", e)
		}
		out = append(out, s)
	}
	if out == nil {
		out = []string{}
	}
	return out, complete, nil
}

func stringText(v cty.Value) (string, bool) {
	if v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// conditionText is conditionValues' reading of a value: strings, and
// numbers and booleans as text.
func conditionText(v cty.Value) (string, bool) {
	if v.IsNull() {
		return "", false
	}
	switch v.Type() {
	case cty.String, cty.Number, cty.Bool:
		return model.AsString(v)
	}
	return "", false
}

func isObjectLike(v cty.Value) bool {
	ty := v.Type()
	return !v.IsNull() && (ty.IsObjectType() || ty.IsMapType())
}

func isListLike(v cty.Value) bool {
	ty := v.Type()
	return !v.IsNull() && (ty.IsListType() || ty.IsTupleType() || ty.IsSetType())
}

func elements(v cty.Value) []cty.Value {
	out := make([]cty.Value, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		out = append(out, e)
	}
	return out
}

// valueKeys returns the attribute names or keys of a known object or map,
// sorted.
func valueKeys(v cty.Value) []string {
	var keys []string
	for it := v.ElementIterator(); it.Next(); {
		k, _ := it.Element()
		keys = append(keys, k.AsString())
	}
	sort.Strings(keys)
	return keys
}

// member returns the element of a known object or map by name.
func member(v cty.Value, name string) cty.Value {
	if v.Type().IsObjectType() {
		return v.GetAttr(name)
	}
	return v.Index(cty.StringVal(name))
}

// lookupValue finds a policy element by name, exactly first and then
// ignoring case, as lookup does in JSON.
func lookupValue(m cty.Value, name string) (cty.Value, bool) {
	keys := valueKeys(m)
	for _, k := range keys {
		if k == name {
			return member(m, k), true
		}
	}
	for _, k := range keys {
		if strings.EqualFold(k, name) {
			return member(m, k), true
		}
	}
	return cty.NilVal, false
}
