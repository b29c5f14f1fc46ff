package policy_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/policy"
	"github.com/zclconf/go-cty/cty"
)

// res builds a managed Terraform resource in main.tf spanning lines
// line..line+5, with the given attributes.
func res(typ, name string, line int, attrs map[string]cty.Value) *model.Resource {
	rng := model.Range{File: "main.tf", StartLine: line, EndLine: line + 5}
	b := &model.Block{Range: rng, Attrs: map[string]*model.Attribute{}}
	for k, v := range attrs {
		b.Attrs[k] = &model.Attribute{Name: k, Value: v, Range: rng}
	}
	return &model.Resource{Type: typ, Name: name, Range: rng, Body: b, Format: "terraform"}
}

func load(t *testing.T, dir string) *policy.Set {
	t.Helper()
	s, err := policy.Load(context.Background(), dir)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return s
}

// line renders a result the way a test states it: id, severity, place,
// resource, message.
func line(r policy.Result) string {
	addr := "-"
	if r.Resource != nil {
		addr = r.Resource.Address()
	}
	return fmt.Sprintf("%s %s %s %s %q", r.Rule.ID, r.Rule.Severity, r.Range, addr, r.Message)
}

func lines(rs []policy.Result) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, line(r))
	}
	return out
}

func TestEvalResults(t *testing.T) {
	data := res("data_source", "x", 40, nil)
	data.Mode = model.Data
	st := &model.State{Resources: []*model.Resource{
		res("aws_s3_bucket", "logs", 1, map[string]cty.Value{"acl": cty.StringVal("public-read")}),
		res("aws_instance", "web", 10, map[string]cty.Value{"critical": cty.True}),
		// The same address in another file: the resource object tells them apart.
		func() *model.Resource {
			r := res("aws_instance", "web", 20, map[string]cty.Value{"critical": cty.True})
			r.Range.File = "other/main.tf"
			return r
		}(),
		data,
	}}
	got := lines(mustEval(t, load(t, "testdata/results"), st))
	want := []string{
		// boolean.rego: a boolean deny gives one finding, titled, at the rule.
		`test.boolean.deny HIGH testdata/results/boolean.rego:5-8 - "No data sources allowed"`,
		// object.rego: a partial object rule gives its values.
		`test.object.deny HIGH testdata/results/object.rego:4-8 - "aws_instance.web: instance"`,
		// results.rego, in OPA's set order: strings before objects.
		`test.results.deny HIGH testdata/results/results.rego:4-7 - "a string message"`,
		`TEST-CRIT CRITICAL main.tf:10-15 aws_instance.web "critical one"`,
		`TEST-CRIT CRITICAL other/main.tf:20-25 aws_instance.web "critical one"`,
		`test.results.deny HIGH main.tf:1-6 aws_s3_bucket.logs "aws_s3_bucket.logs is public"`,
		// A resource the state does not have: the rule's place.
		`test.results.deny HIGH testdata/results/results.rego:4-7 - "ghost"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func mustEval(t *testing.T, s *policy.Set, st *model.State) []policy.Result {
	t.Helper()
	rs, err := s.Eval(context.Background(), st)
	if err != nil {
		t.Fatalf("Eval: %v", err)
	}
	return rs
}

func TestRules(t *testing.T) {
	got := load(t, "testdata/meta").Rules()
	want := []finding.Rule{
		// annotated.rego: the package's METADATA names deny; warn has its own.
		{ID: "ANN-1", Severity: finding.Medium, Title: "Package title", Description: "Package description",
			Remediation: "Package remediation", References: []string{"https://example.com/pkg"}},
		{ID: "ANN-W", Severity: finding.High, Title: "Warn title", Description: "Package description",
			Remediation: "Package remediation", References: []string{"https://example.com/pkg"}},
		// defaults.rego: nothing said.
		{ID: "test.meta.defaults.deny", Severity: finding.High, Title: "Policy test.meta.defaults (deny)"},
		{ID: "test.meta.defaults.warn", Severity: finding.Low, Title: "Policy test.meta.defaults (warn)"},
		// mixed.rego: rule METADATA over __rego_metadata__ over package METADATA.
		{ID: "MIX-1", Severity: finding.Low, Title: "From __rego_metadata__", Description: "From the package annotation"},
		// trivy.rego: Trivy's key names; warn gets its own id and LOW.
		{ID: "TRIVY-1", Severity: finding.Critical, Title: "Trivy style", Description: "described",
			Remediation: "fix it", References: []string{"https://example.com/trivy"}},
		{ID: "TRIVY-1.warn", Severity: finding.Low, Title: "Trivy style", Description: "described",
			Remediation: "fix it", References: []string{"https://example.com/trivy"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Rules() =\n%s\nwant\n%s", dump(got), dump(want))
	}
}

func dump(rules []finding.Rule) string {
	var b strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&b, "%+v\n", r)
	}
	return b.String()
}

func TestRegoV0AndImports(t *testing.T) {
	st := &model.State{Resources: []*model.Resource{res("aws_instance", "web", 1, nil)}}
	got := lines(mustEval(t, load(t, "testdata/v0"), st))
	want := []string{
		`test.imports.warn LOW testdata/v0/import.rego:6-9 - "seen: old style: web"`,
		`test.old.deny HIGH testdata/v0/old.rego:3-7 - "old style: web"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadSingleFile(t *testing.T) {
	s := load(t, "testdata/meta/defaults.rego")
	if got := len(s.Rules()); got != 2 {
		t.Errorf("Rules() has %d rules, want 2", got)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		dir  string
		want string // the start of the error
	}{
		{"testdata/errors/syntax", "testdata/errors/syntax/bad.rego:4: rego_parse_error: "},
		// A v0 file: the v0 parser's error, not the v1 parser's complaint
		// about the first rule.
		{"testdata/errors/syntaxv0", "testdata/errors/syntaxv0/old.rego:9: rego_parse_error: "},
		{"testdata/errors/compile", "testdata/errors/compile/unsafe.rego:5: rego_unsafe_var_error: var msg is unsafe"},
		{"testdata/errors/severity", `testdata/errors/severity/meta.rego:3: test.severity: unknown severity "SEVERE"`},
		{"testdata/errors/empty", "testdata/errors/empty: no .rego files"},
		{"testdata/nonexistent", "cannot read policies: "},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			_, err := policy.Load(context.Background(), tt.dir)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to start with %q", err, tt.want)
			}
		})
	}
}

func TestEvalErrors(t *testing.T) {
	st := &model.State{Resources: []*model.Resource{
		res("aws_instance", "a", 1, nil),
		res("aws_s3_bucket", "b", 10, nil),
	}}
	tests := []struct {
		dir  string
		want string
	}{
		{"testdata/errors/runtime", "testdata/errors/runtime/conflict.rego:4: eval_conflict_error: "},
		{"testdata/errors/resultseverity", `testdata/errors/resultseverity/result.rego:3: test.resultseverity.deny: result severity: unknown severity "terrible"`},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			_, err := load(t, tt.dir).Eval(context.Background(), st)
			if err == nil {
				t.Fatal("Eval succeeded, want an error")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to start with %q", err, tt.want)
			}
		})
	}
}

func TestEvalCancelled(t *testing.T) {
	s := load(t, "testdata/results")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	st := &model.State{Resources: []*model.Resource{res("aws_s3_bucket", "b", 1, nil)}}
	if _, err := s.Eval(ctx, st); err == nil {
		t.Error("Eval with a cancelled context succeeded")
	}
}

func TestEvalEmptyState(t *testing.T) {
	rs := mustEval(t, load(t, "testdata/results"), &model.State{})
	if len(rs) != 0 {
		t.Errorf("results on an empty state: %v", lines(rs))
	}
}
