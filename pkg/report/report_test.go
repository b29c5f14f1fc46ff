package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testRules are the rules the test reports ran. FX-AWS-004 describes a rule
// with no references; FX-AWS-099 is named only by a check.
func testRules() []finding.Rule {
	return []finding.Rule{
		{
			ID: "FX-AWS-002", Severity: finding.Critical, Title: "IAM policy grants * on *",
			Description: "A wildcard policy lets a compromised instance do anything, including replacing the images it boots from.",
			Remediation: "List the actions and resources the role needs.",
			References:  []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"},
		},
		{
			ID: "FX-AWS-001", Severity: finding.High, Title: "Security group allows SSH from anywhere",
			Description: "Immutable servers are replaced, never logged into: an SSH port open to the internet is attack surface with no use.",
			Remediation: "Remove the ingress rule, or restrict cidr_blocks to a bastion or VPN range.",
			References: []string{
				"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
				"https://cwe.mitre.org/data/definitions/284.html",
			},
		},
		{
			ID: "FX-AWS-003", Severity: finding.Medium, Title: "EBS volume is not encrypted",
			Description: "Snapshots of unencrypted volumes leak the golden image's contents.",
			Remediation: "Set encrypted = true.",
			References:  []string{"https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html"},
		},
		{
			ID: "FX-AWS-004", Severity: finding.Low, Title: "S3 bucket has no versioning",
			Description: "Without versioning an overwritten artefact cannot be recovered | audited.",
			Remediation: "Add an aws_s3_bucket_versioning resource with status = \"Enabled\".",
		},
	}
}

// basicReport has one finding of each severity over two files, given out of
// order so the writers' sorting shows in the goldens.
func basicReport() *finding.Report {
	r := &finding.Report{
		Schema: finding.Schema,
		Tool:   finding.Tool{Name: "fixity", Version: "test"},
		Target: "examples/web",
		Rules:  testRules(),
		Findings: []finding.Finding{
			{
				RuleID: "FX-AWS-004", Severity: finding.Low, Title: "S3 bucket has no versioning",
				Message: "Bucket \"artefacts\" keeps no versions.", File: "storage.tf", Line: 1, EndLine: 4,
				Resource: "aws_s3_bucket.artefacts", Remediation: "Add an aws_s3_bucket_versioning resource with status = \"Enabled\".",
			},
			{
				RuleID: "FX-AWS-001", Severity: finding.High, Title: "Security group allows SSH from anywhere",
				Message: "Ingress on port 22 is open to 0.0.0.0/0 & ::/0, which lets anyone on the internet try to log in to every server in the group.",
				File:    "main.tf", Line: 14, EndLine: 14, Resource: "aws_security_group.web",
				Remediation: "Remove the ingress rule, or restrict cidr_blocks to a bastion or VPN range.",
				References: []string{
					"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
					"https://cwe.mitre.org/data/definitions/284.html",
				},
			},
			{
				RuleID: "FX-AWS-002", Severity: finding.Critical, Title: "IAM policy grants * on *",
				Message: "Statement allows Action \"*\" on Resource \"*\".", File: "iam.tf", Line: 3, EndLine: 12,
				Resource: "aws_iam_role_policy.app", Remediation: "List the actions and resources the role needs.",
				References: []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html"},
			},
			{
				RuleID: "FX-AWS-003", Severity: finding.Medium, Title: "EBS volume is not encrypted",
				Message: "encrypted is false.", File: "main.tf", Line: 30, EndLine: 30,
				Resource: "aws_ebs_volume.data", Remediation: "Set encrypted = true.",
				References: []string{"https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html"},
			},
		},
		Checks: []finding.Check{
			{RuleID: "FX-AWS-001", Resource: "aws_security_group.web", File: "main.tf", Line: 10},
			{RuleID: "FX-AWS-001", Resource: "aws_security_group.internal", File: "main.tf", Line: 20},
			{RuleID: "FX-AWS-002", Resource: "aws_iam_role_policy.app", File: "iam.tf", Line: 1},
			{RuleID: "FX-AWS-003", Resource: "aws_ebs_volume.data", File: "main.tf", Line: 28},
			{RuleID: "FX-AWS-004", Resource: "aws_s3_bucket.artefacts", File: "storage.tf", Line: 1},
			{RuleID: "FX-AWS-004", Resource: "aws_s3_bucket.logs", File: "storage.tf", Line: 10},
		},
	}
	r.Summary.Files = 3
	r.Summary.Resources = 6
	r.Tally()
	return r
}

// mixedReport has what a real scan of a messy tree has: parse errors,
// notes, suppressed findings, two findings on one resource, a finding with
// no line, a finding for a resource no check names, and a file name with a
// space in it.
func mixedReport() *finding.Report {
	r := &finding.Report{
		Schema: finding.Schema,
		Tool:   finding.Tool{Name: "fixity", Version: "test"},
		Target: "infra",
		Rules:  testRules(),
		Findings: []finding.Finding{
			{
				RuleID: "FX-AWS-001", Severity: finding.High, Title: "Security group allows SSH from anywhere",
				Message: "Ingress on port 22 is open to 0.0.0.0/0.", File: "modules/net/sg.tf", Line: 8, EndLine: 8,
				Resource: "module.net.aws_security_group.admin", Remediation: "Remove the ingress rule, or restrict cidr_blocks to a bastion or VPN range.",
			},
			{
				RuleID: "FX-AWS-001", Severity: finding.High, Title: "Security group allows SSH from anywhere",
				Message: "Ingress on port 22 is open to ::/0.", File: "modules/net/sg.tf", Line: 15, EndLine: 15,
				Resource: "module.net.aws_security_group.admin", Remediation: "Remove the ingress rule, or restrict cidr_blocks to a bastion or VPN range.",
			},
			{
				RuleID: "FX-AWS-001", Severity: finding.High, Title: "Security group allows SSH from anywhere",
				Message: "Ingress on port 22 is open to 0.0.0.0/0.", File: "modules/net/sg.tf", Line: 30, EndLine: 30,
				Resource: "module.net.aws_security_group.bastion", Remediation: "Remove the ingress rule, or restrict cidr_blocks to a bastion or VPN range.",
				Suppressed: true, SuppressionReason: "bastion host, reviewed 2024-05",
			},
			{
				RuleID: "FX-AWS-004", Severity: finding.Low, Title: "S3 bucket has no versioning",
				Message: "Bucket keeps no versions.", File: "buckets/old logs.tf", Line: 2, EndLine: 6,
				Resource: `aws_s3_bucket.logs["eu"]`, Remediation: "Add an aws_s3_bucket_versioning resource with status = \"Enabled\".",
				Suppressed: true,
			},
			{
				RuleID: "FX-AWS-003", Severity: finding.Medium, Title: "EBS volume is not encrypted",
				Message: "The account default for EBS encryption is off.", File: "main.tf",
				Remediation: "Set encrypted = true.",
			},
			{
				RuleID: "FX-AWS-003", Severity: finding.Medium, Title: "EBS volume is not encrypted",
				Message: "encrypted is not set.", File: "main.tf", Line: 40, EndLine: 44,
				Resource: "aws_ebs_volume.scratch[0]", Remediation: "Set encrypted = true.",
			},
		},
		Errors: []finding.Error{
			{File: "broken.tf", Line: 7, Message: "Invalid expression: expected the start of an expression, but found \"}\"."},
			{File: "binary.tf", Message: "file is not valid UTF-8"},
		},
		Notes: []finding.Note{
			{File: "modules/remote", Message: "remote module \"git::https://example.com/vpc.git\" was not downloaded; its resources are not checked"},
			{Message: "no CloudFormation templates found"},
		},
		Checks: []finding.Check{
			{RuleID: "FX-AWS-001", Resource: "module.net.aws_security_group.admin", File: "modules/net/sg.tf", Line: 5},
			{RuleID: "FX-AWS-001", Resource: "module.net.aws_security_group.bastion", File: "modules/net/sg.tf", Line: 25},
			{RuleID: "FX-AWS-004", Resource: `aws_s3_bucket.logs["eu"]`, File: "buckets/old logs.tf", Line: 2},
			{RuleID: "FX-AWS-004", Resource: `aws_s3_bucket.logs["us"]`, File: "buckets/old logs.tf", Line: 2},
			{RuleID: "FX-AWS-099", Resource: "aws_instance.app", File: "main.tf", Line: 50},
		},
	}
	r.Summary.Files = 4
	r.Summary.Resources = 7
	r.Tally()
	return r
}

func emptyReport() *finding.Report {
	r := &finding.Report{Schema: finding.Schema, Tool: finding.Tool{Name: "fixity", Version: "test"}, Target: "."}
	r.Tally()
	return r
}

func TestGolden(t *testing.T) {
	reports := map[string]func() *finding.Report{
		"basic": basicReport,
		"mixed": mixedReport,
		"empty": emptyReport,
	}
	tests := []struct {
		golden string
		report string
		format string
		opts   Options
	}{
		{"basic.table", "basic", "table", Options{}},
		{"basic_color.table", "basic", "table", Options{Color: true}},
		{"basic_verbose.table", "basic", "table", Options{Verbose: true}},
		{"basic_narrow.table", "basic", "table", Options{Width: 60}},
		{"basic.json", "basic", "json", Options{}},
		{"basic.sarif", "basic", "sarif", Options{}},
		{"basic.junit.xml", "basic", "junit", Options{}},
		{"mixed.table", "mixed", "table", Options{}},
		{"mixed_verbose.table", "mixed", "table", Options{Verbose: true}},
		{"mixed_color.table", "mixed", "table", Options{Color: true}},
		{"mixed.json", "mixed", "json", Options{}},
		{"mixed.sarif", "mixed", "sarif", Options{}},
		{"mixed.junit.xml", "mixed", "junit", Options{}},
		{"empty.table", "empty", "table", Options{}},
		{"empty.json", "empty", "json", Options{}},
		{"empty.sarif", "empty", "sarif", Options{}},
		{"empty.junit.xml", "empty", "junit", Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			r := reports[tt.report]()
			var buf bytes.Buffer
			if err := Write(&buf, r, tt.format, tt.opts); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, buf.Bytes())
			if !reflect.DeepEqual(r, reports[tt.report]()) {
				t.Error("Write changed the report it was given")
			}
		})
	}
}

func TestGoldenRules(t *testing.T) {
	for _, format := range RuleFormats() {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteRules(&buf, testRules(), format); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "rules."+format, buf.Bytes())
		})
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test ./pkg/report -update if the change is intended)\ngot:\n%s", path, got)
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, basicReport(), "yaml", Options{}); err == nil || !strings.Contains(err.Error(), "table, json, sarif or junit") {
		t.Errorf("Write(yaml) = %v, want an error listing the formats", err)
	}
	if err := WriteRules(&bytes.Buffer{}, testRules(), "sarif"); err == nil {
		t.Error("WriteRules(sarif) succeeded")
	}
	for _, f := range Formats() {
		if err := Write(&bytes.Buffer{}, nil, f, Options{}); err == nil {
			t.Errorf("Write(%s, nil report) succeeded", f)
		}
	}
}

// TestJSONContract checks the JSON against the keys ARCHITECTURE.md
// promises, and that it says what Report.MarshalJSON says.
func TestJSONContract(t *testing.T) {
	for name, r := range map[string]*finding.Report{"basic": basicReport(), "mixed": mixedReport(), "empty": emptyReport()} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, r, "json", Options{}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if !strings.HasSuffix(out, "}\n") || !strings.HasPrefix(out, "{\n  \"schema\"") {
				t.Errorf("output is not a two-space indented object ending in a newline:\n%s", out)
			}

			var got map[string]any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"schema", "tool", "target", "summary", "findings", "errors"} {
				if _, ok := got[k]; !ok {
					t.Errorf("missing key %q", k)
				}
			}
			if got["schema"] != "fixity.report/v1" {
				t.Errorf("schema = %v", got["schema"])
			}
			if _, ok := got["findings"].([]any); !ok {
				t.Errorf("findings = %#v, want an array", got["findings"])
			}
			if _, ok := got["errors"].([]any); !ok {
				t.Errorf("errors = %#v, want an array", got["errors"])
			}
			counts := got["summary"].(map[string]any)["findings"].(map[string]any)
			for _, s := range finding.Severities() {
				if _, ok := counts[s.String()]; !ok {
					t.Errorf("summary.findings has no %s", s)
				}
			}
			for i, f := range got["findings"].([]any) {
				for _, k := range []string{"rule_id", "severity", "title", "message", "file", "line", "end_line"} {
					if _, ok := f.(map[string]any)[k]; !ok {
						t.Errorf("findings[%d] has no %q", i, k)
					}
				}
			}

			// Same content as the type's own MarshalJSON gives the same report.
			own, err := json.Marshal(normalize(r))
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]any
			if err := json.Unmarshal(own, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("JSON differs from Report.MarshalJSON:\n got %v\nwant %v", got, want)
			}

			// And it reads back into a Report.
			var back finding.Report
			if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
				t.Fatal(err)
			}
			if len(back.Findings) != len(r.Findings) || back.Summary.Findings[finding.High] != r.Summary.Findings[finding.High] {
				t.Errorf("round trip lost findings: %+v", back)
			}
		})
	}
}

func TestJSONSortsFindings(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, basicReport(), "json", Options{}); err != nil {
		t.Fatal(err)
	}
	var got finding.Report
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, f := range got.Findings {
		order = append(order, f.Location().String()+" "+f.RuleID)
	}
	want := []string{"iam.tf:3-12 FX-AWS-002", "main.tf:14 FX-AWS-001", "main.tf:30 FX-AWS-003", "storage.tf:1-4 FX-AWS-004"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("order = %q, want %q", order, want)
	}
}

// sarifDoc is what a SARIF consumer reads back.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Level string `json:"level"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
						EndLine   int `json:"endLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Kind string `json:"kind"`
			} `json:"suppressions"`
		} `json:"results"`
	} `json:"runs"`
}

func readSARIF(t *testing.T, r *finding.Report) sarifDoc {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r, "sarif", Options{}); err != nil {
		t.Fatal(err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestSARIFStructure(t *testing.T) {
	levels := map[finding.Severity]string{finding.Critical: "error", finding.High: "error", finding.Medium: "warning", finding.Low: "note"}
	scores := map[finding.Severity]string{finding.Critical: "9.5", finding.High: "8.0", finding.Medium: "5.5", finding.Low: "3.0"}
	for name, r := range map[string]*finding.Report{"basic": basicReport(), "mixed": mixedReport(), "empty": emptyReport()} {
		t.Run(name, func(t *testing.T) {
			doc := readSARIF(t, r)
			if doc.Version != "2.1.0" || doc.Schema != "https://json.schemastore.org/sarif-2.1.0.json" || len(doc.Runs) != 1 {
				t.Fatalf("header: version %q schema %q runs %d", doc.Version, doc.Schema, len(doc.Runs))
			}
			run := doc.Runs[0]
			if run.Tool.Driver.Name != "fixity" || run.Tool.Driver.Version != "test" {
				t.Errorf("driver = %+v", run.Tool.Driver)
			}
			ruleSev := map[string]finding.Severity{}
			for _, rule := range r.Rules {
				ruleSev[rule.ID] = rule.Severity
			}
			for _, rule := range run.Tool.Driver.Rules {
				sev, ok := ruleSev[rule.ID]
				if !ok {
					continue
				}
				if rule.DefaultConfiguration.Level != levels[sev] {
					t.Errorf("rule %s level = %q, want %q", rule.ID, rule.DefaultConfiguration.Level, levels[sev])
				}
				if rule.Properties["security-severity"] != scores[sev] {
					t.Errorf("rule %s security-severity = %v, want %s", rule.ID, rule.Properties["security-severity"], scores[sev])
				}
				delete(ruleSev, rule.ID)
			}
			if len(ruleSev) > 0 {
				t.Errorf("rules missing from the driver: %v", ruleSev)
			}

			if len(run.Results) != len(r.Findings) {
				t.Fatalf("%d results for %d findings", len(run.Results), len(r.Findings))
			}
			want := sortedFindings(r.Findings)
			seen := map[string]bool{}
			for i, res := range run.Results {
				f := want[i]
				if res.RuleIndex < 0 || res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
					t.Errorf("result %d: ruleIndex %d does not point at %s", i, res.RuleIndex, res.RuleID)
				}
				if res.RuleID != f.RuleID || res.Level != levels[f.Severity] {
					t.Errorf("result %d = %s/%s, want %s/%s", i, res.RuleID, res.Level, f.RuleID, levels[f.Severity])
				}
				loc := res.Locations[0].PhysicalLocation
				if loc.Region.StartLine < 1 || loc.Region.EndLine < loc.Region.StartLine {
					t.Errorf("result %d: region %+v", i, loc.Region)
				}
				if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.ContainsAny(loc.ArtifactLocation.URI, `\ `) {
					t.Errorf("result %d: artifact %+v", i, loc.ArtifactLocation)
				}
				fp := res.PartialFingerprints["fixity/v1"]
				if fp == "" || seen[fp] {
					t.Errorf("result %d: fingerprint %q missing or repeated", i, fp)
				}
				seen[fp] = true
				if f.Suppressed != (len(res.Suppressions) == 1 && res.Suppressions[0].Kind == "inSource") {
					t.Errorf("result %d: suppressions %+v for suppressed=%v", i, res.Suppressions, f.Suppressed)
				}
			}

			inv := run.Invocations[0]
			if !inv.ExecutionSuccessful {
				t.Error("executionSuccessful is false")
			}
			errs := 0
			for _, n := range inv.ToolExecutionNotifications {
				if n.Level == "error" {
					errs++
				}
			}
			if errs != len(r.Errors) {
				t.Errorf("%d error notifications for %d errors", errs, len(r.Errors))
			}
		})
	}
}

// A finding that moves down the file keeps its fingerprint, so code
// scanning keeps the alert (and its triage) instead of opening a new one.
func TestSARIFFingerprintIgnoresLines(t *testing.T) {
	a := basicReport()
	b := basicReport()
	for i := range b.Findings {
		b.Findings[i].Line += 10
		b.Findings[i].EndLine += 10
	}
	ra, rb := readSARIF(t, a).Runs[0].Results, readSARIF(t, b).Runs[0].Results
	for i := range ra {
		if ra[i].PartialFingerprints["fixity/v1"] != rb[i].PartialFingerprints["fixity/v1"] {
			t.Errorf("result %d: fingerprint changed with the line", i)
		}
	}
}

func TestSARIFRuleNotInReport(t *testing.T) {
	r := basicReport()
	r.Rules = r.Rules[:1] // only FX-AWS-002 is described
	doc := readSARIF(t, r)
	run := doc.Runs[0]
	if len(run.Tool.Driver.Rules) != 4 {
		t.Errorf("%d rules, want 4 (1 described + 3 from findings)", len(run.Tool.Driver.Rules))
	}
	for _, res := range run.Results {
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("ruleIndex %d does not point at %s", res.RuleIndex, res.RuleID)
		}
	}
}

type junitDoc struct {
	Name     string `xml:"name,attr"`
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Errors   int    `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Errors   int    `xml:"errors,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct{} `xml:"skipped"`
			Error   *struct{} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnitStructure(t *testing.T) {
	tests := []struct {
		name                             string
		report                           *finding.Report
		tests, failures, skipped, errors int
		suites                           int
		failing                          map[string]string // "suite ID/case" -> failure type
	}{
		// 6 checks; 4 of them with findings.
		{"basic", basicReport(), 6, 4, 0, 0, 4, map[string]string{
			"FX-AWS-001/aws_security_group.web":  "HIGH",
			"FX-AWS-002/aws_iam_role_policy.app": "CRITICAL",
			"FX-AWS-003/aws_ebs_volume.data":     "MEDIUM",
			"FX-AWS-004/aws_s3_bucket.artefacts": "LOW",
		}},
		// FX-AWS-001: admin fails (2 findings), bastion skipped.
		// FX-AWS-003: main.tf (no resource) and scratch[0] fail, neither checked.
		// FX-AWS-004: logs["eu"] skipped, logs["us"] passes.
		// FX-AWS-099: aws_instance.app passes. errors: 2.
		{"mixed", mixedReport(), 9, 3, 2, 2, 6, map[string]string{
			"FX-AWS-001/module.net.aws_security_group.admin": "HIGH",
			"FX-AWS-003/main.tf":                             "MEDIUM",
			"FX-AWS-003/aws_ebs_volume.scratch[0]":           "MEDIUM",
		}},
		{"empty", emptyReport(), 0, 0, 0, 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.report, "junit", Options{}); err != nil {
				t.Fatal(err)
			}
			var doc junitDoc
			if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Name != "fixity" || doc.Tests != tt.tests || doc.Failures != tt.failures || doc.Skipped != tt.skipped || doc.Errors != tt.errors {
				t.Errorf("testsuites %q tests=%d failures=%d skipped=%d errors=%d, want tests=%d failures=%d skipped=%d errors=%d",
					doc.Name, doc.Tests, doc.Failures, doc.Skipped, doc.Errors, tt.tests, tt.failures, tt.skipped, tt.errors)
			}
			if len(doc.Suites) != tt.suites {
				t.Errorf("%d suites, want %d", len(doc.Suites), tt.suites)
			}
			failing := map[string]string{}
			var tests, failures, skipped, errors int
			for _, s := range doc.Suites {
				var n, f, sk, e int
				for _, c := range s.Cases {
					n++
					switch {
					case c.Failure != nil:
						f++
						id, _, _ := strings.Cut(s.Name, ":")
						failing[id+"/"+c.Name] = c.Failure.Type
						if !strings.Contains(c.Failure.Text, "Remediation: ") {
							t.Errorf("%s/%s: failure text has no remediation: %q", s.Name, c.Name, c.Failure.Text)
						}
					case c.Skipped != nil:
						sk++
					case c.Error != nil:
						e++
					}
				}
				if n != s.Tests || f != s.Failures || sk != s.Skipped || e != s.Errors {
					t.Errorf("suite %q counts %d/%d/%d/%d, cases say %d/%d/%d/%d", s.Name, s.Tests, s.Failures, s.Skipped, s.Errors, n, f, sk, e)
				}
				tests, failures, skipped, errors = tests+n, failures+f, skipped+sk, errors+e
			}
			if tests != doc.Tests || failures != doc.Failures || skipped != doc.Skipped || errors != doc.Errors {
				t.Errorf("testsuites counts do not add up: %+v", doc)
			}
			if len(failing) != len(tt.failing) || (len(failing) > 0 && !reflect.DeepEqual(failing, tt.failing)) {
				t.Errorf("failing cases = %v, want %v", failing, tt.failing)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		text        string
		first, rest int
		want        []string
	}{
		{"", 30, 30, nil},
		{"one two three", 30, 30, []string{"one two three"}},
		{"aaaa bbbb cccc dddd eeee ffff gggg", 20, 25, []string{"aaaa bbbb cccc dddd", "eeee ffff gggg"}},
		{"see https://example.com/a/very/long/path/that/does/not/fit/anywhere ok", 20, 20,
			[]string{"see", "https://example.com/a/very/long/path/that/does/not/fit/anywhere", "ok"}},
		{"line one\nline two", 30, 30, []string{"line one", "line two"}},
	}
	for _, tt := range tests {
		if got := wrap(tt.text, tt.first, tt.rest); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("wrap(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// The table fits an 80-column terminal: no line is longer, except a single
// word (a URL) that cannot be broken.
func TestTableWidth(t *testing.T) {
	for _, r := range []*finding.Report{basicReport(), mixedReport()} {
		var buf bytes.Buffer
		if err := Write(&buf, r, "table", Options{Verbose: true}); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(buf.String(), "\n") {
			if len([]rune(line)) > 80 && len(strings.Fields(line)) > 1 && !strings.Contains(line, "://") {
				t.Errorf("line wider than 80 columns: %q", line)
			}
		}
	}
}

func TestCamelName(t *testing.T) {
	for in, want := range map[string]string{
		"S3 bucket has no versioning":             "S3BucketHasNoVersioning",
		"IAM policy grants * on *":                "IAMPolicyGrantsOn",
		"Security group allows SSH from anywhere": "SecurityGroupAllowsSSHFromAnywhere",
		"": "",
	} {
		if got := camelName(in); got != want {
			t.Errorf("camelName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	for in, want := range map[string]string{
		"main.tf":             "main.tf",
		"./modules/a/main.tf": "modules/a/main.tf",
		`modules\b\main.tf`:   "modules/b/main.tf",
		"old logs.tf":         "old%20logs.tf",
		"c:d.tf":              "./c:d.tf",
	} {
		if got := artifactURI(in); got != want {
			t.Errorf("artifactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// Text from the scanned files reaches every format. None may break the
// document, and the table must not pass escape sequences to the terminal.
func TestHostileText(t *testing.T) {
	r := basicReport()
	r.Findings[0].Message = "bucket \"x\x1b[2J\x07\" <script>&amp;\x00 \u0085\ttab\nnext line"
	r.Findings[0].Resource = "aws_s3_bucket.x\x1b]0;pwned\x07"
	r.Findings[1].File = "dir/we\x1bird.tf"
	r.Findings[2].Severity = finding.Unknown
	r.Errors = []finding.Error{{File: "bad\x00.tf", Line: 1, Message: "nul \x00 byte"}}
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, r, format, Options{Verbose: true}); err != nil {
				t.Fatal(err)
			}
			out := buf.Bytes()
			switch format {
			case "table":
				for _, c := range []byte{0x1b, 0x07, 0x00} {
					if bytes.IndexByte(out, c) >= 0 {
						t.Errorf("table holds control byte %#x:\n%q", c, out)
					}
				}
				if bytes.Contains(out, []byte("\u0085")) {
					t.Error("table holds a C1 control character")
				}
			case "json", "sarif":
				var v any
				if err := json.Unmarshal(out, &v); err != nil {
					t.Errorf("output does not parse: %v", err)
				}
			case "junit":
				var doc junitDoc
				if err := xml.Unmarshal(out, &doc); err != nil {
					t.Errorf("output does not parse: %v\n%s", err, out)
				}
			}
		})
	}
}

func TestTableCountsUnknownSeverity(t *testing.T) {
	r := &finding.Report{Findings: []finding.Finding{{RuleID: "DSA-1", Title: "an advisory without a severity", File: "var/lib/dpkg/status"}}}
	r.Tally()
	var buf bytes.Buffer
	if err := Write(&buf, r, "table", Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "0 LOW, 1 UNKNOWN") {
		t.Fatalf("summary does not count the finding without a severity:\n%s", buf.String())
	}
}

// TestSARIFPaths: code scanning resolves paths from the repository root,
// so a scan of infra/ must say infra/main.tf; files inside an image are
// relative to the image root; a finding on the image's configuration has
// no file and is placed on the image.
func TestSARIFPaths(t *testing.T) {
	r := &finding.Report{
		Target: "registry.example.com/app:1.0",
		Findings: []finding.Finding{
			{RuleID: "FX-AWS-001", Severity: finding.High, Message: "m", File: "net/main.tf", Line: 3, EndLine: 3},
			{RuleID: "FX-IMG-003", Severity: finding.High, Message: "m", File: "/usr/bin/su", Line: 0},
			{RuleID: "FX-IMG-002", Severity: finding.Medium, Message: "runs as root"},
		},
		Errors: []finding.Error{{File: "broken.tf", Line: 2, Message: "bad"}},
		Notes:  []finding.Note{{File: "big.tf", Message: "skipped"}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, "sarif", Options{SourcePrefix: "infra/prod"}); err != nil {
		t.Fatal(err)
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
		} `json:"physicalLocation"`
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				Locations []location `json:"locations"`
			} `json:"results"`
			Invocations []struct {
				Notifications []struct {
					Locations []location `json:"locations"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, res := range doc.Runs[0].Results {
		got = append(got, res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	}
	for _, n := range doc.Runs[0].Invocations[0].Notifications {
		got = append(got, n.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	}
	want := []string{"registry.example.com/app:1.0", "usr/bin/su", "infra/prod/net/main.tf", "infra/prod/broken.tf", "infra/prod/big.tf"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("URIs %q, want %q", got, want)
	}
	if r.Findings[0].File != "net/main.tf" {
		t.Errorf("the caller's report was changed: %q", r.Findings[0].File)
	}
}
