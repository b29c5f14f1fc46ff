package rules

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/zclconf/go-cty/cty"
)

// render prints a statement compactly so that table cases can state what
// was read in one line.
func render(st *statement) string {
	var b strings.Builder
	b.WriteString(st.Effect)
	vals := func(tag string, v values) {
		if !v.Present {
			return
		}
		fmt.Fprintf(&b, " %s%v", tag, v.Known)
		if !v.Complete {
			b.WriteString("?")
		}
	}
	vals("A", st.Actions)
	vals("NA", st.NotActions)
	vals("R", st.Resources)
	vals("NR", st.NotResources)
	prin := func(tag string, p principals) {
		if !p.Present {
			return
		}
		var parts []string
		for _, typ := range sortedKeys(p.ByType) {
			parts = append(parts, fmt.Sprintf("%s=%v", typ, p.ByType[typ]))
		}
		fmt.Fprintf(&b, " %s{%s}", tag, strings.Join(parts, " "))
		if !p.Complete {
			b.WriteString("?")
		}
	}
	prin("P", st.Principals)
	prin("NP", st.NotPrincipals)
	for _, c := range st.Conditions {
		fmt.Fprintf(&b, " C(%s %s %v)", c.Operator, c.Key, c.Values)
	}
	if !st.ConditionsComplete {
		b.WriteString(" C?")
	}
	return b.String()
}

func TestParsePolicyJSON(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string // one rendered statement each
		err  bool
	}{
		{
			name: "AdministratorAccess managed policy",
			json: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
			want: []string{"Allow A[*] R[*]"},
		},
		{
			name: "statement as a single object, as jsonencode of a map writes it",
			json: `{"Statement":{"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow","Resource":"arn:aws:s3:::artifacts/*"},"Version":"2012-10-17"}`,
			want: []string{"Allow A[s3:GetObject s3:PutObject] R[arn:aws:s3:::artifacts/*]"},
		},
		{
			name: "heredoc with indentation and a Sid",
			json: `
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Deploy",
      "Effect": "Allow",
      "Action": ["ec2:RunInstances", "iam:PassRole"],
      "Resource": ["*"]
    },
    {
      "Effect": "Deny",
      "Action": "iam:*",
      "Resource": "*"
    }
  ]
}
`,
			want: []string{"Allow A[ec2:RunInstances iam:PassRole] R[*]", "Deny A[iam:*] R[*]"},
		},
		{
			name: "public website bucket policy",
			json: `{"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::www.example.com/*"]}]}`,
			want: []string{"Allow A[s3:GetObject] R[arn:aws:s3:::www.example.com/*] P{*=[*]}"},
		},
		{
			name: "AWS principal list and a condition restricting to the organisation",
			json: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}`,
			want: []string{"Allow A[s3:GetObject] R[arn:aws:s3:::b/*] P{AWS=[arn:aws:iam::111122223333:root *]} C(StringEquals aws:PrincipalOrgID [o-abc123])"},
		},
		{
			name: "deny insecure transport with a boolean condition value",
			json: `{"Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":false}}}]}`,
			want: []string{"Deny A[s3:*] R[arn:aws:s3:::b arn:aws:s3:::b/*] P{AWS=[*]} C(Bool aws:SecureTransport [false])"},
		},
		{
			name: "EC2 trust policy",
			json: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
			want: []string{"Allow A[sts:AssumeRole] P{Service=[ec2.amazonaws.com]}"},
		},
		{
			name: "GitHub Actions OIDC trust policy",
			json: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":["repo:org/app:*"]}}}]}`,
			want: []string{"Allow A[sts:AssumeRoleWithWebIdentity] P{Federated=[arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com]} " +
				"C(StringEquals token.actions.githubusercontent.com:aud [sts.amazonaws.com]) C(StringLike token.actions.githubusercontent.com:sub [repo:org/app:*])"},
		},
		{
			name: "NotAction and NotResource",
			json: `{"Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"NotResource":"arn:aws:s3:::audit/*"}]}`,
			want: []string{"Allow NA[iam:* organizations:*] NR[arn:aws:s3:::audit/*]"},
		},
		{
			name: "NotPrincipal",
			json: `{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"*"}]}`,
			want: []string{"Allow A[s3:GetObject] R[*] NP{AWS=[arn:aws:iam::111122223333:root]}"},
		},
		{
			name: "element names in another case",
			json: `{"statement":[{"effect":"Allow","action":"*","resource":"*"}]}`,
			want: []string{"Allow A[*] R[*]"},
		},
		{name: "not JSON (an unresolved template)", json: `{"Statement": [${statements}]}`, err: true},
		{name: "truncated", json: `{"Statement":[{"Effect":"Allow"`, err: true},
		{name: "empty string", json: ``, err: true},
		{name: "a JSON list, not an object", json: `[{"Effect":"Allow"}]`, err: true},
		{name: "no Statement", json: `{"Version":"2012-10-17"}`, err: true},
		{name: "Statement is a string", json: `{"Statement":"Allow everything"}`, err: true},
		{name: "Action is a number", json: `{"Statement":[{"Effect":"Allow","Action":42,"Resource":"*"}]}`, err: true},
		{name: "Principal string other than *", json: `{"Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::1:root","Action":"s3:*"}]}`, err: true},
		{name: "Condition is a list", json: `{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":[]}]}`, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parsePolicyJSON(tt.json)
			if tt.err {
				if err == nil {
					t.Fatalf("want an error, got %d statements", len(p.Statements))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, st := range p.Statements {
				got = append(got, render(st))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestStatementGrants(t *testing.T) {
	tests := []struct {
		json   string
		action string
		want   string // the written value that grants it; "" when not granted
	}{
		{`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, "iam:PassRole", "*"},
		{`{"Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}`, "iam:PassRole", "iam:*"},
		{`{"Statement":{"Effect":"Allow","Action":"IAM:pass*","Resource":"*"}}`, "iam:PassRole", "IAM:pass*"},
		{`{"Statement":{"Effect":"Allow","Action":"iam:Pa?sRole","Resource":"*"}}`, "iam:PassRole", "iam:Pa?sRole"},
		{`{"Statement":{"Effect":"Allow","Action":"iam:PassRoles","Resource":"*"}}`, "iam:PassRole", ""},
		{`{"Statement":{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}}`, "iam:PassRole", ""},
		{`{"Statement":{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}}`, "iam:PassRole", "NotAction"},
		{`{"Statement":{"Effect":"Allow","NotAction":["s3:*","iam:*"],"Resource":"*"}}`, "iam:PassRole", ""},
	}
	for _, tt := range tests {
		p, err := parsePolicyJSON(tt.json)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := p.Statements[0].grants(tt.action)
		if got != tt.want {
			t.Errorf("%s grants %s: got %q, want %q", tt.json, tt.action, got, tt.want)
		}
	}
}

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "s3:GetObject", true},
		{"s3:*", "s3:GetObject", true},
		{"s3:*", "s3express:CreateSession", false},
		{"s3:Get*Acl", "s3:GetObjectAcl", true},
		{"s3:Get*Acl", "s3:GetObject", false},
		{"*Role", "iam:PassRole", true},
		{"iam:?assRole", "iam:PassRole", true},
		{"iam:PassRole", "IAM:PASSROLE", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
	}
	for _, tt := range tests {
		if got := wildcardMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("wildcardMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

// Helpers that build the model the loader would produce.

func rng(line int) model.Range { return model.Range{File: "main.tf", StartLine: line, EndLine: line} }

func attr(name string, v cty.Value, line int, refs ...string) *model.Attribute {
	return &model.Attribute{Name: name, Value: v, Range: rng(line), Refs: refs}
}

func block(typ string, line int, attrs []*model.Attribute, blocks ...*model.Block) *model.Block {
	b := &model.Block{Type: typ, Range: rng(line), Attrs: map[string]*model.Attribute{}, Blocks: blocks}
	for _, a := range attrs {
		b.Attrs[a.Name] = a
	}
	return b
}

func strs(vs ...string) cty.Value {
	out := make([]cty.Value, len(vs))
	for i, v := range vs {
		out[i] = cty.StringVal(v)
	}
	return cty.ListVal(out)
}

func TestReadDocument(t *testing.T) {
	doc := &model.Resource{
		Mode: model.Data, Type: "aws_iam_policy_document", Name: "trust", Module: "module.ci",
		Body: block("", 1, nil,
			// effect left to its default, principals and a condition
			block("statement", 2, []*model.Attribute{attr("actions", strs("sts:AssumeRoleWithWebIdentity"), 3)},
				block("principals", 4, []*model.Attribute{
					attr("type", cty.StringVal("Federated"), 5),
					attr("identifiers", strs("arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"), 6),
				}),
				block("condition", 8, []*model.Attribute{
					attr("test", cty.StringVal("StringLike"), 9),
					attr("variable", cty.StringVal("token.actions.githubusercontent.com:sub"), 10),
					attr("values", strs("repo:org/app:*"), 11),
				}),
			),
			// an unknown effect and partly unknown resources
			block("statement", 14, []*model.Attribute{
				attr("effect", cty.UnknownVal(cty.String), 15),
				attr("actions", strs("s3:*"), 16),
				attr("resources", cty.TupleVal([]cty.Value{cty.StringVal("*"), cty.UnknownVal(cty.String)}), 17),
			}),
			// Deny with not_actions; a condition with unknown values
			block("statement", 20, []*model.Attribute{
				attr("effect", cty.StringVal("Deny"), 21),
				attr("not_actions", strs("iam:Get*"), 22),
				attr("resources", strs("*"), 23),
			},
				block("condition", 24, []*model.Attribute{
					attr("test", cty.StringVal("StringEquals"), 25),
					attr("variable", cty.StringVal("aws:PrincipalOrgID"), 26),
					attr("values", cty.UnknownVal(cty.List(cty.String)), 27),
				}),
			),
			// principal "*" written as type "*"
			block("statement", 30, []*model.Attribute{attr("actions", strs("s3:GetObject"), 31)},
				block("principals", 32, []*model.Attribute{
					attr("type", cty.StringVal("*"), 33),
					attr("identifiers", strs("*"), 34),
				}),
			),
		),
	}
	p := readDocument(doc)
	want := []string{
		"Allow A[sts:AssumeRoleWithWebIdentity] P{Federated=[arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com]} C(StringLike token.actions.githubusercontent.com:sub [repo:org/app:*])",
		" A[s3:*] R[*]?",
		"Deny NA[iam:Get*] R[*] C(StringEquals aws:PrincipalOrgID []) C?",
		"Allow A[s3:GetObject] P{*=[*]}",
	}
	var got []string
	for _, st := range p.Statements {
		got = append(got, render(st))
		if st.Res != doc || !st.Doc {
			t.Errorf("statement at line %d does not point at its document", st.Range.StartLine)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	var lines []int
	for _, st := range p.Statements {
		lines = append(lines, st.Range.StartLine)
	}
	if fmt.Sprint(lines) != "[2 14 20 30]" {
		t.Errorf("statement ranges %v, want the statement block lines [2 14 20 30]", lines)
	}
	if who, ok := p.Statements[3].anyPrincipal(); !ok || who != "*" {
		t.Errorf("principals type \"*\" is any principal; got %q %v", who, ok)
	}
	if p.Statements[1].allow() {
		t.Error("an unknown effect must not count as Allow")
	}
	if has, known := p.Statements[2].hasCondition(); !has || !known {
		t.Error("a condition block whose values are unknown is still a condition")
	}
}

func TestReadPolicies(t *testing.T) {
	docAt := func(module, name, key string, line int, action string) *model.Resource {
		return &model.Resource{
			Mode: model.Data, Type: "aws_iam_policy_document", Name: name, Module: module, Key: key,
			Body: block("", line, nil, block("statement", line+1, []*model.Attribute{
				attr("actions", strs(action), line+2),
				attr("resources", strs("*"), line+3),
			})),
		}
	}
	rootDoc := docAt("", "deploy", "", 1, "*")
	modDoc := docAt("module.ci", "deploy", "", 10, "s3:*")
	count0 := docAt("", "each", "[0]", 20, "ec2:*")
	count1 := docAt("", "each", "[1]", 30, "rds:*")
	st := &model.State{Resources: []*model.Resource{rootDoc, modDoc, count0, count1}}

	policyRes := func(module, key string) *model.Resource {
		return &model.Resource{Type: "aws_iam_policy", Name: "p", Module: module, Key: key, Body: block("", 50, nil)}
	}
	unknown := cty.UnknownVal(cty.String)
	tests := []struct {
		name string
		res  *model.Resource
		attr *model.Attribute
		want []string // "line: actions"
	}{
		{
			name: "known JSON points at the attribute",
			res:  policyRes("", ""),
			attr: attr("policy", cty.StringVal(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`), 51),
			want: []string{"51: [*]", "51: [s3:*]"},
		},
		{
			name: "JSON that does not parse gives nothing",
			res:  policyRes("", ""),
			attr: attr("policy", cty.StringVal(`{"Statement": [`), 51),
		},
		{
			name: "a known value that is not a string gives nothing",
			res:  policyRes("", ""),
			attr: attr("policy", cty.ObjectVal(map[string]cty.Value{"Statement": cty.EmptyTupleVal}), 51),
		},
		{
			name: "unknown, from a root document",
			res:  policyRes("", ""),
			attr: attr("policy", unknown, 51, "data.aws_iam_policy_document.deploy"),
			want: []string{"2: [*]"},
		},
		{
			name: "unknown, from a document in a module",
			res:  policyRes("module.ci", ""),
			attr: attr("policy", unknown, 51, "module.ci.data.aws_iam_policy_document.deploy"),
			want: []string{"11: [s3:*]"},
		},
		{
			name: "count: the document instance with the same key",
			res:  policyRes("", "[1]"),
			attr: attr("policy", unknown, 51, "data.aws_iam_policy_document.each"),
			want: []string{"31: [rds:*]"},
		},
		{
			name: "no instance with the same key: every instance",
			res:  policyRes("", ""),
			attr: attr("policy", unknown, 51, "data.aws_iam_policy_document.each"),
			want: []string{"21: [ec2:*]", "31: [rds:*]"},
		},
		{
			name: "unknown, from something else",
			res:  policyRes("", ""),
			attr: attr("policy", unknown, 51, "aws_iam_policy.other"),
		},
		{
			name: "unknown without references",
			res:  policyRes("", ""),
			attr: attr("policy", unknown, 51),
		},
		{
			name: "jsonencode with an unknown part: read from the encoded value",
			res:  policyRes("", ""),
			attr: decoded(attr("policy", unknown, 51, "aws_s3_bucket.b"), obj(map[string]cty.Value{
				"Statement": cty.TupleVal([]cty.Value{
					obj(map[string]cty.Value{"Effect": cty.StringVal("Allow"), "Action": cty.StringVal("*"), "Resource": cty.StringVal("*")}),
					obj(map[string]cty.Value{"Effect": cty.StringVal("Allow"), "Action": cty.StringVal("s3:GetObject"), "Resource": unknown}),
				}),
			})),
			want: []string{"51: [*]", "51: [s3:GetObject]"},
		},
		{
			name: "jsonencode of something unknown: the documents it refers to",
			res:  policyRes("", ""),
			attr: decoded(attr("policy", unknown, 51, "data.aws_iam_policy_document.deploy"), cty.DynamicVal),
			want: []string{"2: [*]"},
		},
		{
			name: "jsonencode of an unknown statement list: the documents it refers to",
			res:  policyRes("", ""),
			attr: decoded(attr("policy", unknown, 51, "data.aws_iam_policy_document.deploy"), obj(map[string]cty.Value{"Statement": cty.DynamicVal})),
			want: []string{"2: [*]"},
		},
		{
			name: "jsonencode of something that is no policy gives nothing",
			res:  policyRes("", ""),
			attr: decoded(attr("policy", unknown, 51, "data.aws_iam_policy_document.deploy"), obj(map[string]cty.Value{"Statement": cty.StringVal("all"), "x": unknown})),
		},
		{
			name: "a known value wins over the encoded one",
			res:  policyRes("", ""),
			attr: decoded(attr("policy", cty.StringVal(`{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"*"}}`), 51), obj(map[string]cty.Value{"Statement": cty.EmptyTupleVal})),
			want: []string{"51: [ec2:*]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range readPolicies(st, tt.res, tt.attr) {
				for _, s := range p.Statements {
					got = append(got, fmt.Sprintf("%d: %v", s.Range.StartLine, s.Actions.Known))
				}
			}
			sort.Strings(got)
			if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func decoded(a *model.Attribute, v cty.Value) *model.Attribute {
	a.Decoded = v
	return a
}

func obj(m map[string]cty.Value) cty.Value { return cty.ObjectVal(m) }

// TestPolicyFromValue reads the value given to jsonencode when the JSON it
// encodes to is unknown: the known parts as parsePolicyJSON would read them,
// the unknown ones left out and marked incomplete.
func TestPolicyFromValue(t *testing.T) {
	unknown := cty.UnknownVal(cty.String)
	str := cty.StringVal
	stmt := func(kv ...any) cty.Value {
		m := map[string]cty.Value{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1].(cty.Value)
		}
		return obj(m)
	}
	doc := func(stmts ...cty.Value) cty.Value {
		return obj(map[string]cty.Value{"Version": str("2012-10-17"), "Statement": cty.TupleVal(stmts)})
	}
	tests := []struct {
		name string
		v    cty.Value
		want []string
		err  error // errUnknownPolicy
		bad  bool  // any other error
	}{
		{
			name: "bucket policy: Principal * and an unknown ARN",
			v:    doc(stmt("Effect", str("Allow"), "Principal", str("*"), "Action", str("s3:GetObject"), "Resource", unknown)),
			want: []string{"Allow A[s3:GetObject] R[]? P{*=[*]}"},
		},
		{
			name: "an unknown element leaves the rest",
			v: doc(stmt("Effect", str("Allow"), "Action", cty.TupleVal([]cty.Value{str("s3:GetObject"), unknown}),
				"Resource", cty.ListVal([]cty.Value{unknown, str("arn:aws:s3:::b/*")}))),
			want: []string{"Allow A[s3:GetObject]? R[arn:aws:s3:::b/*]?"},
		},
		{
			name: "an unknown Principal is someone, not everyone",
			v:    doc(stmt("Effect", str("Allow"), "Principal", cty.DynamicVal, "Action", str("s3:*"), "Resource", str("*"))),
			want: []string{"Allow A[s3:*] R[*] P{}?"},
		},
		{
			name: "an AWS principal list with an unknown ARN, as a map",
			v: doc(stmt("Effect", str("Allow"), "Action", str("sts:AssumeRole"),
				"Principal", cty.MapVal(map[string]cty.Value{"AWS": cty.TupleVal([]cty.Value{unknown, str("arn:aws:iam::1:root")})}))),
			want: []string{"Allow A[sts:AssumeRole] P{AWS=[arn:aws:iam::1:root]}?"},
		},
		{
			name: "an unknown statement is skipped, an unknown effect is neither",
			v: doc(cty.DynamicVal,
				stmt("Effect", unknown, "Action", str("*"), "Resource", str("*")),
				stmt("Effect", str("Allow"), "Action", str("*"), "Resource", str("*"))),
			want: []string{" A[*] R[*]", "Allow A[*] R[*]"},
		},
		{
			name: "conditions: booleans and numbers as text, unknown values make them incomplete",
			v: doc(stmt("Effect", str("Deny"), "Principal", str("*"), "Action", str("s3:*"), "Resource", str("*"),
				"Condition", obj(map[string]cty.Value{
					"Bool":            obj(map[string]cty.Value{"aws:SecureTransport": cty.False}),
					"NumericLessThan": obj(map[string]cty.Value{"s3:TlsVersion": cty.NumberFloatVal(1.2)}),
					"StringEquals":    obj(map[string]cty.Value{"aws:SourceVpce": cty.TupleVal([]cty.Value{unknown})}),
				}))),
			want: []string{"Deny A[s3:*] R[*] P{*=[*]} C(Bool aws:SecureTransport [false]) C(NumericLessThan s3:TlsVersion [1.2]) C(StringEquals aws:SourceVpce []) C?"},
		},
		{
			name: "an unknown Condition",
			v:    doc(stmt("Effect", str("Allow"), "Principal", str("*"), "Action", str("s3:GetObject"), "Condition", cty.DynamicVal)),
			want: []string{"Allow A[s3:GetObject] P{*=[*]} C?"},
		},
		{
			name: "Statement as one object, element names in another case, nulls absent",
			v: obj(map[string]cty.Value{"statement": stmt("effect", str("Allow"), "notaction", str("iam:*"),
				"Resource", str("*"), "NotResource", cty.NullVal(cty.String))}),
			want: []string{"Allow NA[iam:*] R[*]"},
		},
		{name: "wholly unknown", v: cty.DynamicVal, err: errUnknownPolicy},
		{name: "unknown statements", v: obj(map[string]cty.Value{"Statement": cty.UnknownVal(cty.List(cty.DynamicPseudoType))}), err: errUnknownPolicy},
		{name: "not an object", v: str("{}"), bad: true},
		{name: "no Statement", v: obj(map[string]cty.Value{"Version": unknown}), bad: true},
		{name: "Action is a number", v: doc(stmt("Effect", str("Allow"), "Action", cty.NumberIntVal(42))), bad: true},
		{name: "Principal string other than *", v: doc(stmt("Effect", str("Allow"), "Principal", str("arn:aws:iam::1:root"))), bad: true},
		{name: "Effect is null", v: doc(stmt("Effect", cty.NullVal(cty.String), "Action", str("*"))), bad: true},
		{name: "a list element is null", v: doc(stmt("Effect", str("Allow"), "Action", cty.TupleVal([]cty.Value{cty.NullVal(cty.String)}))), bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := policyFromValue(tt.v)
			switch {
			case tt.err != nil:
				if err != tt.err {
					t.Fatalf("error %v, want %v", err, tt.err)
				}
				return
			case tt.bad:
				if err == nil || err == errUnknownPolicy {
					t.Fatalf("want an error, got %v", err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			var got []string
			for _, st := range p.Statements {
				got = append(got, render(st))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}

	// What the rules ask of such statements.
	p, err := policyFromValue(doc(
		stmt("Effect", str("Allow"), "Principal", cty.DynamicVal, "Action", str("*"), "Resource", unknown),
		stmt("Effect", str("Allow"), "Principal", str("*"), "Action", str("*"), "Resource", str("*")),
	))
	if err != nil {
		t.Fatal(err)
	}
	if _, any := p.Statements[0].anyPrincipal(); any {
		t.Error("an unknown Principal counts as any principal")
	}
	if p.Statements[0].allResources() {
		t.Error(`an unknown Resource counts as "*"`)
	}
	if who, any := p.Statements[1].anyPrincipal(); !any || who != "*" || !p.Statements[1].allResources() {
		t.Error(`Principal "*" and Resource "*" next to unknown parts are still read`)
	}
}
