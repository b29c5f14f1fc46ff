package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/finding"
)

var update = flag.Bool("update", false, "rewrite golden files")

type result struct {
	code     int
	out, err string
}

func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Execute(context.Background(), args, IO{Out: &out, Err: &errOut}, "test")
	return result{code, out.String(), errOut.String()}
}

// runOnTerminal is run with standard error on an interactive terminal,
// where progress is drawn.
func runOnTerminal(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	stdio := IO{Out: &out, Err: &errOut, IsTerminal: func(w io.Writer) bool { return w == &errOut }}
	code := Execute(context.Background(), args, stdio, "test")
	return result{code, out.String(), errOut.String()}
}

func TestScanProgressOnlyOnATerminal(t *testing.T) {
	r := runOnTerminal(t, "scan", "../../examples/terraform/insecure", "-f", "json")
	if !strings.Contains(r.err, "\r\033[K") || !strings.HasSuffix(r.err, "\r\033[K") {
		t.Fatalf("a terminal should see a progress line, cleared at the end: %q", r.err)
	}
	decode(t, r.out) // the report itself is untouched
	if r := runOnTerminal(t, "scan", "../../examples/terraform/insecure", "-q"); strings.Contains(r.err, "\r") {
		t.Fatalf("--quiet drew progress: %q", r.err)
	}
	if r := run(t, "scan", "../../examples/terraform/insecure"); strings.Contains(r.err, "\r") {
		t.Fatalf("progress drawn when standard error is not a terminal: %q", r.err)
	}
}

func decode(t *testing.T, s string) finding.Report {
	t.Helper()
	var r finding.Report
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, s)
	}
	return r
}

func TestScanExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		err  string // a substring of standard error
	}{
		{"findings at the default HIGH", []string{"scan", "testdata/mixed", "-q"}, ExitFindings, ""},
		{"hardened example passes", []string{"scan", "../../examples/terraform/hardened", "--fail-on", "LOW"}, ExitOK, ""},
		{"insecure example fails", []string{"scan", "../../examples/terraform/insecure"}, ExitFindings, ""},
		{"all suppressed but an override raises one", []string{"scan", "testdata/suppressed"}, ExitFindings, ""},
		{"that one excluded by flag", []string{"scan", "testdata/suppressed", "--exclude-rule", "FX-AWS-024"}, ExitOK, ""},
		{"fail-on above every finding", []string{"scan", "testdata/suppressed", "--fail-on", "critical"}, ExitOK, ""},
		{"nothing could be read", []string{"scan", "testdata/broken"}, ExitError, "no file under testdata/broken could be read"},
		{"no Terraform at all", []string{"scan", "testdata/empty"}, ExitOK, ""},
		{"missing path", []string{"scan", "testdata/does-not-exist"}, ExitError, "cannot scan testdata/does-not-exist: no such file or directory"},
		{"bad format", []string{"scan", "testdata/mixed", "-f", "xml"}, ExitError, `--format "xml"`},
		{"bad fail-on", []string{"scan", "testdata/mixed", "--fail-on", "SEVERE"}, ExitError, `--fail-on: unknown severity "SEVERE"`},
		{"bad var", []string{"scan", "testdata/mixed", "--var", "novalue"}, ExitError, `--var "novalue": want NAME=VALUE`},
		{"missing config", []string{"scan", "testdata/mixed", "--config", "testdata/nope.yaml"}, ExitError, "nope.yaml"},
		{"unknown flag", []string{"scan", "--frobnicate"}, ExitError, "unknown flag: --frobnicate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.code, r.out, r.err)
			}
			if tc.err != "" && !strings.Contains(r.err, tc.err) {
				t.Fatalf("stderr %q does not contain %q", r.err, tc.err)
			}
			if tc.code == ExitError && strings.Count(strings.TrimSpace(r.err), "\n") != 0 {
				t.Fatalf("a failed run says one line, got:\n%s", r.err)
			}
		})
	}
}

func TestScanKeepsGoingPastBrokenFiles(t *testing.T) {
	r := run(t, "scan", "testdata/mixed", "-f", "json")
	if r.code != ExitFindings {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	rep := decode(t, r.out)
	if len(rep.Errors) == 0 || rep.Errors[0].File != "broken.tf" || rep.Errors[0].Line != 3 {
		t.Fatalf("errors %+v, want broken.tf:3 first", rep.Errors)
	}
	var ssh bool
	for _, f := range rep.Findings {
		if f.RuleID == "FX-AWS-001" && f.File == "network.tf" && f.Line == 10 && f.Resource == "aws_security_group.bastion" {
			ssh = true
		}
		if f.File == "broken.tf" {
			t.Errorf("a file that does not parse yields no findings, got %+v", f)
		}
	}
	if !ssh {
		t.Fatalf("the readable file was not scanned: %+v", rep.Findings)
	}
}

func TestScanSuppressions(t *testing.T) {
	r := run(t, "scan", "testdata/suppressed", "-f", "json")
	rep := decode(t, r.out)
	if rep.Summary.Suppressed != 2 || rep.Summary.Findings[finding.High] != 1 {
		t.Fatalf("summary %+v, want 2 suppressed and the overridden finding at HIGH", rep.Summary)
	}
	reasons := map[string]string{}
	for _, f := range rep.Findings {
		if f.Suppressed {
			reasons[f.RuleID] = f.SuppressionReason
		}
	}
	if reasons["FX-AWS-001"] != "break-glass host, removed in the next release" {
		t.Errorf("inline ignore on the resource line: reasons %v", reasons)
	}
	if reasons["FX-AWS-023"] != "rule excluded by configuration" {
		t.Errorf("exclude-rules in .fixity.yaml: reasons %v", reasons)
	}
}

func TestScanOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.sarif")
	r := run(t, "scan", "testdata/mixed", "-f", "sarif", "-o", out)
	if r.out != "" {
		t.Fatalf("with --output nothing goes to stdout, got %q", r.out)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &sarif); err != nil || sarif.Version != "2.1.0" || len(sarif.Runs[0].Results) == 0 {
		t.Fatalf("bad SARIF (%v): %s", err, data)
	}
	// Paths are from the working directory, where code scanning resolves
	// them from; JSON keeps them relative to the scanned directory.
	if !strings.Contains(string(data), `"uri": "testdata/mixed/`) {
		t.Errorf("SARIF paths do not start at the working directory:\n%s", data)
	}
	if r := run(t, "scan", "testdata/mixed", "-f", "json", "-q"); strings.Contains(r.out, `"testdata/mixed/`) {
		t.Errorf("JSON paths should stay relative to the scanned directory")
	}
}

func TestSourcePrefix(t *testing.T) {
	for root, want := range map[string]string{
		".": "", "testdata/mixed": "testdata/mixed", "testdata/mixed/": "testdata/mixed",
		"../../examples": "", "testdata/mixed/network.tf": "testdata/mixed", t.TempDir(): "",
	} {
		if got := sourcePrefix(root); got != want {
			t.Errorf("sourcePrefix(%q) = %q, want %q", root, got, want)
		}
	}
}

func TestScanVars(t *testing.T) {
	dir := t.TempDir()
	tf := `variable "admin_cidr" {}
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  description       = "SSH"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [var.admin_cidr]
  security_group_id = "sg-123"
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	// Without a value the CIDR is unknown, and fixity does not guess.
	if r := run(t, "scan", dir, "-q"); r.code != ExitOK {
		t.Fatalf("unknown CIDR: exit %d\n%s", r.code, r.out)
	}
	if r := run(t, "scan", dir, "--var", "admin_cidr=0.0.0.0/0"); r.code != ExitFindings {
		t.Fatalf("--var: exit %d\n%s", r.code, r.out)
	}
	varFile := filepath.Join(dir, "prod.tfvars")
	if err := os.WriteFile(varFile, []byte(`admin_cidr = "::/0"`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "scan", dir, "--var-file", varFile); r.code != ExitFindings || !strings.Contains(r.out, "::/0") {
		t.Fatalf("--var-file: exit %d\n%s", r.code, r.out)
	}
}

// TestScanInsecureExampleGolden pins the JSON report of the bundled insecure
// example, the README's first command. Refresh with: go test ./internal/cli -update
func TestScanInsecureExampleGolden(t *testing.T) {
	r := run(t, "scan", "../../examples/terraform/insecure", "-f", "json")
	if r.code != ExitFindings {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	golden := filepath.Join("testdata", "insecure.json.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(r.out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if r.out != string(want) {
		t.Errorf("report differs from %s (run go test ./internal/cli -update and review the diff)", golden)
	}
}

func TestRulesCommand(t *testing.T) {
	r := run(t, "rules", "-f", "json")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	var rules []finding.Rule
	if err := json.Unmarshal([]byte(r.out), &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) < 40 {
		t.Fatalf("%d rules, want at least 40", len(rules))
	}
	if rules[0].ID != "FX-AWS-001" || rules[0].Severity != finding.Critical {
		t.Fatalf("first rule %+v", rules[0])
	}
	if r := run(t, "rules", "-f", "yaml"); r.code != ExitError {
		t.Fatalf("bad format: exit %d", r.code)
	}
}

// TestRulesDocIsCurrent keeps docs/rules.md in step with the rules.
// Refresh with: go test ./internal/cli -update
func TestRulesDocIsCurrent(t *testing.T) {
	r := run(t, "rules", "-f", "markdown")
	doc := filepath.Join("..", "..", "docs", "rules.md")
	if *update {
		if err := os.WriteFile(doc, []byte(r.out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	if r.out != string(want) {
		t.Errorf("docs/rules.md is out of date: run go test ./internal/cli -update")
	}
}

func TestVersion(t *testing.T) {
	if r := run(t, "version"); r.code != ExitOK || !strings.HasPrefix(r.out, "fixity test ") {
		t.Fatalf("version: %+v", r)
	}
}

// TestScanEveryFormatPastBrokenFiles scans a tree holding every format,
// each with a file that cannot be read: each broken file is one errors
// entry with its line, and the readable files of every format are scanned.
func TestScanEveryFormatPastBrokenFiles(t *testing.T) {
	r := run(t, "scan", "testdata/formats", "-f", "json")
	if r.code != ExitFindings {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	rep := decode(t, r.out)
	var errs []string
	for _, e := range rep.Errors {
		errs = append(errs, fmt.Sprintf("%s:%d", e.File, e.Line))
	}
	wantErrs := []string{"cfn/broken.yaml:6", "chart/templates/deployment.yaml:6", "docker/Dockerfile:4", "k8s/broken.yaml:8"}
	if !slices.Equal(errs, wantErrs) {
		t.Errorf("errors at %v, want %v", errs, wantErrs)
	}
	found := map[string]bool{}
	for _, f := range rep.Findings {
		found[fmt.Sprintf("%s %s:%d", f.RuleID, f.File, f.Line)] = true
	}
	for _, want := range []string{
		"FX-AWS-001 cfn/sg.yaml:11",
		"FX-K8S-001 k8s/pod.yaml:11",
		"FX-DOCKER-011 docker/Dockerfile.web:2",
	} {
		if !found[want] {
			t.Errorf("missing finding %s", want)
		}
	}
	if rep.Summary.Resources != 3 {
		t.Errorf("%d resources, want 3 (a CI file is not CloudFormation)", rep.Summary.Resources)
	}

	// --type narrows the scan to one format.
	r = run(t, "scan", "testdata/formats", "-f", "json", "--type", "dockerfile")
	rep = decode(t, r.out)
	for _, f := range rep.Findings {
		if !strings.HasPrefix(f.RuleID, "FX-DOCKER-") {
			t.Errorf("--type dockerfile reported %s", f.RuleID)
		}
	}
	if r := run(t, "scan", "testdata/formats", "--type", "ansible"); r.code != ExitError || !strings.Contains(r.err, `unknown type "ansible"`) {
		t.Errorf("bad --type: exit %d, %q", r.code, r.err)
	}
}

func TestScanPolicyErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.rego")
	if err := os.WriteFile(bad, []byte("package org\n\ndeny contains msg if {\n  msg := \n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "scan", "testdata/mixed", "--policy", dir)
	if r.code != ExitError || !strings.Contains(r.err, "bad.rego:") {
		t.Fatalf("a policy with a syntax error: exit %d, stderr %q", r.code, r.err)
	}
	r = run(t, "scan", "../../examples/terraform/hardened", "--policy", "../../examples/policies", "-f", "json")
	rep := decode(t, r.out)
	var org int
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.RuleID, "ORG-") {
			org++
		}
	}
	if org == 0 {
		t.Errorf("the example policies found nothing on examples/terraform/hardened (its resources lack a team tag)")
	}
}

// TestScanExitCodeWhenAFileLoadsWithErrors: a file that was read and
// evaluated, with findings, is not "nothing could be read" because one of
// its expressions failed; only a scan that read nothing at all exits 2.
func TestScanExitCodeWhenAFileLoadsWithErrors(t *testing.T) {
	dir := t.TempDir()
	tf := `resource "aws_s3_bucket" "b" {
  bucket = nosuchfunc("x")
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "scan", dir, "-f", "json")
	if r.code != ExitFindings {
		t.Fatalf("exit %d, want %d\nstderr: %s", r.code, ExitFindings, r.err)
	}
	rep := decode(t, r.out)
	if len(rep.Errors) != 1 || rep.Errors[0].File != "main.tf" || rep.Errors[0].Line != 2 {
		t.Errorf("errors %+v, want one at main.tf:2", rep.Errors)
	}
	if rep.Summary.Resources != 1 {
		t.Errorf("%d resources, want the bucket", rep.Summary.Resources)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"aws_s3_bucket\" \"b\" {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "scan", dir); r.code != ExitError || !strings.Contains(r.err, "could be read (1 error)") {
		t.Errorf("exit %d, stderr %q: want exit 2 and a singular (1 error)", r.code, r.err)
	}
}

// TestScanMissingInputFiles: a --var-file or --helm-values file that does
// not exist is a bad flag, like a missing --cfn-params file: exit 2 with
// the flag named, whatever the scanned tree holds.
func TestScanMissingInputFiles(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"scan", "testdata/mixed", "--var-file", "testdata/nope.tfvars"}, "--var-file testdata/nope.tfvars: no such file or directory"},
		{[]string{"scan", "testdata/empty", "--var-file", "testdata/nope.tfvars"}, "--var-file testdata/nope.tfvars: no such file or directory"},
		{[]string{"scan", "testdata/formats", "--helm-values", "testdata/nope.yaml"}, "--helm-values testdata/nope.yaml: no such file or directory"},
		{[]string{"scan", "testdata/empty", "--helm-values", "testdata"}, "--helm-values testdata: is a directory"},
	} {
		r := run(t, tc.args...)
		if r.code != ExitError || !strings.Contains(r.err, tc.err) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, r.code, r.err, tc.err)
		}
	}
}

// TestScanUnreadableFile: a CI gate must not pass on a file it could not
// read. Alone, it is a scan that read nothing (exit 2); beside readable
// files, an error (exit 1).
func TestScanUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(p, []byte("FROM alpine\n"), 0); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "scan", dir); r.code != ExitError || !strings.Contains(r.err, "could be read (1 error)") {
		t.Errorf("only an unreadable file: exit %d, stderr %q", r.code, r.err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.Dockerfile"), []byte("FROM scratch\nUSER 1000\nHEALTHCHECK NONE\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "scan", dir, "--fail-on", "CRITICAL"); r.code != ExitFindings || !strings.Contains(r.out, "Dockerfile: cannot read: permission denied") {
		t.Errorf("an unreadable file beside a readable one: exit %d\n%s%s", r.code, r.out, r.err)
	}
}
