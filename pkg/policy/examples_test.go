package policy_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/policy"
	"github.com/fixity-sec/fixity/pkg/scan"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const examplePolicies = "../../examples/policies"

// TestExamplePolicies runs the example policies over real files, loaded the
// way a scan loads them, and compares every result with a golden file.
func TestExamplePolicies(t *testing.T) {
	set := load(t, examplePolicies)
	tests := []struct {
		name string
		root string
		// format must be one scan reads, or the test is skipped.
		format string
	}{
		{"terraform-insecure", "../../examples/terraform/insecure", "terraform"},
		{"terraform-hardened", "../../examples/terraform/hardened", "terraform"},
		{"fixtures-terraform", "testdata/fixtures/terraform", "terraform"},
		{"fixtures-cloudformation", "testdata/fixtures/cloudformation", "cloudformation"},
		{"fixtures-docker", "testdata/fixtures/docker", "dockerfile"},
		{"fixtures-kubernetes", "testdata/fixtures/kubernetes", "kubernetes"},
		{"kubernetes-insecure", "../../examples/kubernetes/insecure", "kubernetes"},
		{"kubernetes-hardened", "../../examples/kubernetes/hardened", "kubernetes"},
		{"cloudformation-insecure", "../../examples/cloudformation/insecure", "cloudformation"},
		{"cloudformation-hardened", "../../examples/cloudformation/hardened", "cloudformation"},
		{"dockerfile-insecure", "../../examples/dockerfile/insecure", "dockerfile"},
		{"dockerfile-hardened", "../../examples/dockerfile/hardened", "dockerfile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Contains(scan.FormatNames(), tt.format) {
				t.Skipf("scan does not read %s yet", tt.format)
			}
			if !hasFiles(tt.root) {
				t.Skipf("no files under %s", tt.root)
			}
			st, err := scan.Load(context.Background(), scan.Options{Root: tt.root})
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Errors) > 0 {
				t.Fatalf("loading %s: %v", tt.root, st.Errors)
			}
			rs, err := set.Eval(context.Background(), st)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, r := range rs {
				fmt.Fprintln(&b, line(r))
			}
			golden(t, filepath.Join("testdata", "golden", tt.name+".txt"), b.String())
		})
	}
}

func hasFiles(root string) bool {
	found := false
	filepath.WalkDir(root, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/policy -update)", err)
	}
	if got != string(want) {
		t.Errorf("results differ from %s (run go test ./pkg/policy -update after checking):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestScanWithPolicies checks the wiring into a scan: policy findings sit
// beside the rules' findings, their rules are listed for SARIF, and
// exclusions and inline suppressions apply to them as to built-in rules.
func TestScanWithPolicies(t *testing.T) {
	set := load(t, examplePolicies)
	opts := scan.Options{
		Root:         "testdata/fixtures/terraform",
		Policies:     set,
		ExcludeRules: []string{"org-002.warn"},
	}
	rep, err := scan.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		if !strings.HasPrefix(f.RuleID, "ORG-") {
			continue
		}
		got = append(got, fmt.Sprintf("%s %s %s:%d %s suppressed=%v", f.RuleID, f.Severity, f.File, f.Line, f.Resource, f.Suppressed))
	}
	want := []string{
		"ORG-001 MEDIUM main.tf:6 aws_instance.old suppressed=false",
		// An inline ignore comment on the resource.
		"ORG-002 LOW main.tf:6 aws_instance.old suppressed=true",
		// --exclude-rule, in another case.
		"ORG-002.warn LOW main.tf:20 aws_launch_template.web suppressed=true",
	}
	if !slices.Equal(got, want) {
		t.Errorf("policy findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range set.Rules() {
		if !slices.ContainsFunc(rep.Rules, func(x finding.Rule) bool { return x.ID == r.ID }) {
			t.Errorf("report.Rules lacks %s", r.ID)
		}
	}
}

// TestScanPolicyError checks that a policy failing at run time fails the
// scan with its file and line.
func TestScanPolicyError(t *testing.T) {
	opts := scan.Options{Root: "testdata/fixtures/terraform", Policies: load(t, "testdata/errors/runtime")}
	_, err := scan.Run(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "testdata/errors/runtime/conflict.rego:4:") {
		t.Errorf("scan error = %v, want one naming conflict.rego:4", err)
	}
}

// The example policies must be loadable on their own, one file at a time,
// as users copy them.
func TestExamplePoliciesStandalone(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(examplePolicies, "*.rego"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example policies: %v", err)
	}
	for _, f := range files {
		if _, err := policy.Load(context.Background(), f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
