package rules

import (
	"fmt"
	"strings"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// policyAttr is one attribute that holds a policy document, with the words a
// message uses to name it.
type policyAttr struct {
	Res   *model.Resource
	Attr  *model.Attribute
	Owner string // e.g. `aws_iam_role "deploy" inline policy "ci"`
}

// identityPolicyTypes hold identity-based policies in their "policy" attribute.
var identityPolicyTypes = []string{"aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"}

// identityPolicyAttrs lists every identity-based policy attribute: the
// policy resources and the inline_policy blocks of aws_iam_role.
func identityPolicyAttrs(s *model.State) []policyAttr {
	var out []policyAttr
	for _, r := range s.OfType(identityPolicyTypes...) {
		if a := r.Attr("policy"); a != nil {
			out = append(out, policyAttr{Res: r, Attr: a, Owner: label(r)})
		}
	}
	for _, r := range s.OfType("aws_iam_role") {
		for _, b := range r.Body.BlocksOf("inline_policy") {
			a := b.Attr("policy")
			if a == nil {
				continue
			}
			owner := label(r) + " inline policy"
			if name, ok := b.Attr("name").String(); ok && name != "" {
				owner += fmt.Sprintf(" %q", name)
			}
			out = append(out, policyAttr{Res: r, Attr: a, Owner: owner})
		}
	}
	return out
}

// policyFindings gathers statement findings so that a rule fires once per
// place (one JSON attribute, one statement block) and per resource instance,
// however many statements or values in it are at fault.
type policyFindings struct {
	order []string
	byKey map[string]*policyFinding
}

type policyFinding struct {
	res    *model.Resource
	rng    model.Range
	owner  string
	values []string
}

// add records offending values for a statement; owner names the policy in
// the message and is kept from the first report of a place.
func (f *policyFindings) add(st *statement, owner string, vals ...string) {
	if f.byKey == nil {
		f.byKey = map[string]*policyFinding{}
	}
	key := fmt.Sprintf("%s\x00%s:%d:%d", st.Res.Address(), st.Range.File, st.Range.StartLine, st.Range.EndLine)
	pf := f.byKey[key]
	if pf == nil {
		pf = &policyFinding{res: st.Res, rng: st.Range, owner: owner}
		f.byKey[key] = pf
		f.order = append(f.order, key)
	}
	for _, v := range vals {
		if !inStrings(pf.values, v) {
			pf.values = append(pf.values, v)
		}
	}
}

// results builds one result per place; msg turns the owner and the
// offending values into the message.
func (f *policyFindings) results(msg func(owner string, vals []string) string) []Result {
	var out []Result
	for _, key := range f.order {
		pf := f.byKey[key]
		out = append(out, Result{Resource: pf.res, Range: pf.rng, Message: msg(pf.owner, pf.values)})
	}
	return out
}

// statementOwner names where a statement is written: the policy attribute's
// owner for JSON, the data source (and the statement's sid) for a document.
func statementOwner(pa policyAttr, st *statement) string {
	if !st.Doc {
		return pa.Owner
	}
	return docOwner(st)
}

func docOwner(st *statement) string {
	owner := label(st.Res)
	if st.Sid != "" {
		owner += fmt.Sprintf(" statement %q", st.Sid)
	}
	return owner
}

// identityStatements calls fn with every statement of every identity-based
// policy: the policy resources, role inline policies, and every
// aws_iam_policy_document statement without principals (a document with
// principals is a trust or resource policy, which identity policies cannot
// be). Documents are read once whether or not something refers to them, so
// a document passed through a module variable is still checked.
func identityStatements(s *model.State, fn func(owner string, st *statement)) {
	for _, pa := range identityPolicyAttrs(s) {
		for _, p := range readPolicies(s, pa.Res, pa.Attr) {
			for _, st := range p.Statements {
				if !st.hasPrincipal() {
					fn(statementOwner(pa, st), st)
				}
			}
		}
	}
	for _, doc := range s.DataOfType("aws_iam_policy_document") {
		for _, st := range readDocument(doc).Statements {
			if !st.hasPrincipal() {
				fn(docOwner(st), st)
			}
		}
	}
}

// quoteAll renders values as a comma-separated list of quoted strings.
func quoteAll(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

func inStrings(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
