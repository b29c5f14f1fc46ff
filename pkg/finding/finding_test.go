package finding

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestParseSeverity(t *testing.T) {
	tests := []struct {
		in      string
		want    Severity
		wantErr bool
	}{
		{in: "LOW", want: Low},
		{in: "low", want: Low},
		{in: "Medium", want: Medium},
		{in: "hIgH", want: High},
		{in: "CRITICAL", want: Critical},
		{in: "  critical\n", want: Critical},
		{in: "", want: Unknown, wantErr: true},
		{in: "UNKNOWN", want: Unknown, wantErr: true},
		{in: "severe", want: Unknown, wantErr: true},
		{in: "HIGHEST", want: Unknown, wantErr: true},
		{in: "3", want: Unknown, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSeverity(tt.in)
			if got != tt.want {
				t.Errorf("ParseSeverity(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseSeverity(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				// The message must name the bad input and the choices.
				for _, s := range []string{`"` + tt.in + `"`, "LOW, MEDIUM, HIGH or CRITICAL"} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
			}
		})
	}
}

func TestSeverityString(t *testing.T) {
	tests := []struct {
		s    Severity
		want string
	}{
		{Unknown, "UNKNOWN"},
		{Low, "LOW"},
		{Medium, "MEDIUM"},
		{High, "HIGH"},
		{Critical, "CRITICAL"},
		{Severity(42), "UNKNOWN"},
		{Severity(-1), "UNKNOWN"},
	}
	for _, tt := range tests {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("Severity(%d).String() = %q, want %q", int(tt.s), got, tt.want)
		}
	}
}

func TestSeverityOrder(t *testing.T) {
	if !(Unknown < Low && Low < Medium && Medium < High && High < Critical) {
		t.Fatalf("severities out of order: %d %d %d %d %d", Unknown, Low, Medium, High, Critical)
	}
	want := []Severity{Critical, High, Medium, Low}
	if got := Severities(); !reflect.DeepEqual(got, want) {
		t.Errorf("Severities() = %v, want %v", got, want)
	}
}

func TestSeverityTextRoundTrip(t *testing.T) {
	for _, s := range Severities() {
		t.Run(s.String(), func(t *testing.T) {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			if want := `"` + s.String() + `"`; string(b) != want {
				t.Errorf("json.Marshal(%v) = %s, want %s", s, b, want)
			}
			var back Severity
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back != s {
				t.Errorf("round trip of %v gave %v", s, back)
			}
		})
	}
}

func TestSeverityUnmarshalText(t *testing.T) {
	tests := []struct {
		json    string
		want    Severity
		wantErr bool
	}{
		{json: `"high"`, want: High},
		{json: `"Critical"`, want: Critical},
		{json: `"nope"`, want: Medium, wantErr: true}, // untouched on error
		{json: `""`, want: Medium, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			got := Medium
			err := json.Unmarshal([]byte(tt.json), &got)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Unmarshal(%s) error = %v, wantErr %v", tt.json, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Unmarshal(%s) = %v, want %v", tt.json, got, tt.want)
			}
		})
	}
}

func TestSeverityMapKeys(t *testing.T) {
	in := map[Severity]int{Critical: 1, High: 2, Medium: 0, Low: 7}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	// encoding/json sorts map keys by their text form.
	const want = `{"CRITICAL":1,"HIGH":2,"LOW":7,"MEDIUM":0}`
	if string(b) != want {
		t.Errorf("json.Marshal(map) = %s, want %s", b, want)
	}
	var back map[Severity]int
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, in) {
		t.Errorf("round trip = %v, want %v", back, in)
	}
	if err := json.Unmarshal([]byte(`{"BAD":1}`), &back); err == nil {
		t.Error("unmarshal of an unknown severity key succeeded, want an error")
	}
}

func TestFindingJSON(t *testing.T) {
	f := Finding{
		RuleID: "FX-AWS-001", Severity: High, Title: "t", Message: "m",
		File: "a/b.tf", Line: 3, EndLine: 9,
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	// Optional fields are left out when empty.
	const want = `{"rule_id":"FX-AWS-001","severity":"HIGH","title":"t","message":"m","file":"a/b.tf","line":3,"end_line":9}`
	if string(b) != want {
		t.Errorf("json.Marshal(Finding) =\n%s\nwant\n%s", b, want)
	}
	var back Finding
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, f) {
		t.Errorf("round trip = %+v, want %+v", back, f)
	}
	if got, want := f.Location(), (Range{File: "a/b.tf", StartLine: 3, EndLine: 9}); got != want {
		t.Errorf("Location() = %+v, want %+v", got, want)
	}
}

func TestRangeString(t *testing.T) {
	tests := []struct {
		r    Range
		want string
	}{
		{Range{File: "main.tf"}, "main.tf"},
		{Range{File: "main.tf", EndLine: 5}, "main.tf"},
		{Range{File: "main.tf", StartLine: 4}, "main.tf:4"},
		{Range{File: "main.tf", StartLine: 4, EndLine: 4}, "main.tf:4"},
		{Range{File: "main.tf", StartLine: 4, EndLine: 2}, "main.tf:4"},
		{Range{File: "mod/net/main.tf", StartLine: 4, EndLine: 12}, "mod/net/main.tf:4-12"},
		{Range{}, ""},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.r, got, tt.want)
		}
	}
}

func TestErrorError(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "main.tf", Line: 7, Message: "bad"}, "main.tf:7: bad"},
		{Error{File: "main.tf", Message: "bad"}, "main.tf: bad"},
		{Error{File: "main.tf", Line: -1, Message: "bad"}, "main.tf: bad"},
		{Error{Message: "bad"}, "bad"},
		{Error{Line: 3, Message: "bad"}, ":3: bad"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v.Error() = %q, want %q", tt.e, got, tt.want)
		}
	}
	var err error = Error{File: "x.tf", Line: 1, Message: "m"}
	if err.Error() != "x.tf:1: m" {
		t.Errorf("Error as error = %q", err)
	}
}

func TestTally(t *testing.T) {
	tests := []struct {
		name           string
		findings       []Finding
		want           map[Severity]int
		wantSuppressed int
	}{
		{
			name:     "none",
			findings: nil,
			want:     map[Severity]int{Critical: 0, High: 0, Medium: 0, Low: 0},
		},
		{
			name: "mixed",
			findings: []Finding{
				{Severity: High},
				{Severity: High},
				{Severity: Low},
				{Severity: Critical, Suppressed: true},
				{Severity: High, Suppressed: true},
			},
			want:           map[Severity]int{Critical: 0, High: 2, Medium: 0, Low: 1},
			wantSuppressed: 2,
		},
		{
			name: "all suppressed",
			findings: []Finding{
				{Severity: Medium, Suppressed: true},
			},
			want:           map[Severity]int{Critical: 0, High: 0, Medium: 0, Low: 0},
			wantSuppressed: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Start from stale numbers: Tally must recompute, not add.
			r := &Report{Findings: tt.findings, Summary: Summary{
				Files: 3, Findings: map[Severity]int{High: 99}, Suppressed: 42,
			}}
			r.Tally()
			if !reflect.DeepEqual(r.Summary.Findings, tt.want) {
				t.Errorf("Findings = %v, want %v", r.Summary.Findings, tt.want)
			}
			if r.Summary.Suppressed != tt.wantSuppressed {
				t.Errorf("Suppressed = %d, want %d", r.Summary.Suppressed, tt.wantSuppressed)
			}
			if r.Summary.Files != 3 {
				t.Errorf("Files = %d, Tally must leave it alone", r.Summary.Files)
			}
			r.Tally()
			if !reflect.DeepEqual(r.Summary.Findings, tt.want) || r.Summary.Suppressed != tt.wantSuppressed {
				t.Errorf("second Tally changed the counts: %v, %d", r.Summary.Findings, r.Summary.Suppressed)
			}
		})
	}
}

func TestFails(t *testing.T) {
	findings := []Finding{
		{RuleID: "a", Severity: Medium},
		{RuleID: "b", Severity: Critical, Suppressed: true},
	}
	tests := []struct {
		name      string
		findings  []Finding
		threshold Severity
		want      bool
	}{
		{"no findings", nil, Low, false},
		{"below", findings, High, false},
		{"suppressed critical never fails", findings, Critical, false},
		{"at", findings, Medium, true},
		{"above", findings, Low, true},
		{"critical at critical", []Finding{{Severity: Critical}}, Critical, true},
		{"unknown severity below low", []Finding{{Severity: Unknown}}, Low, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Findings: tt.findings}
			if got := r.Fails(tt.threshold); got != tt.want {
				t.Errorf("Fails(%v) = %v, want %v", tt.threshold, got, tt.want)
			}
		})
	}
}

func TestReportMarshalEmptySlices(t *testing.T) {
	r := Report{Schema: Schema, Tool: Tool{Name: "fixity", Version: "1.0"}, Target: "."}
	r.Tally()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"schema":"fixity.report/v1","tool":{"name":"fixity","version":"1.0"},"target":".",` +
		`"summary":{"files":0,"resources":0,"findings":{"CRITICAL":0,"HIGH":0,"LOW":0,"MEDIUM":0},"suppressed":0},` +
		`"findings":[],"errors":[]}`
	if string(b) != want {
		t.Errorf("json.Marshal(empty report) =\n%s\nwant\n%s", b, want)
	}
	// A pointer marshals the same way.
	pb, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	if string(pb) != want {
		t.Errorf("json.Marshal(&report) =\n%s\nwant\n%s", pb, want)
	}
	// MarshalJSON must not change the report it was given.
	if r.Findings != nil || r.Errors != nil {
		t.Errorf("MarshalJSON changed the report: %+v", r)
	}
}

func TestReportContractKeys(t *testing.T) {
	r := Report{
		Schema:  Schema,
		Tool:    Tool{Name: "fixity", Version: "dev"},
		Target:  "examples/aws",
		Summary: Summary{Files: 2, Resources: 5},
		Findings: []Finding{{
			RuleID: "FX-AWS-001", Severity: High, Title: "title", Message: "msg",
			File: "relative/path.tf", Line: 12, EndLine: 20, Resource: "aws_security_group.web",
			Remediation: "fix", References: []string{"https://example.com"},
		}},
		Errors: []Error{{File: "bad.tf", Line: 3, Message: "parse"}},
		Notes:  []Note{{File: "bin.tf", Message: "skipped: binary file"}},
		Rules:  []Rule{{ID: "FX-AWS-001"}},
		Checks: []Check{{RuleID: "FX-AWS-001"}},
	}
	r.Tally()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}

	wantTop := []string{"errors", "findings", "notes", "schema", "summary", "target", "tool"}
	if got := keys(doc); !reflect.DeepEqual(got, wantTop) {
		t.Errorf("top-level keys = %v, want %v (rules and checks stay out of JSON)", got, wantTop)
	}
	if doc["schema"] != "fixity.report/v1" {
		t.Errorf("schema = %v", doc["schema"])
	}
	if got := keys(doc["tool"].(map[string]any)); !reflect.DeepEqual(got, []string{"name", "version"}) {
		t.Errorf("tool keys = %v", got)
	}
	summary := doc["summary"].(map[string]any)
	if got, want := keys(summary), []string{"files", "findings", "resources", "suppressed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("summary keys = %v, want %v", got, want)
	}
	counts := summary["findings"].(map[string]any)
	wantCounts := map[string]any{"CRITICAL": 0.0, "HIGH": 1.0, "MEDIUM": 0.0, "LOW": 0.0}
	if !reflect.DeepEqual(counts, wantCounts) {
		t.Errorf("summary.findings = %v, want %v", counts, wantCounts)
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	wantF := map[string]any{
		"rule_id": "FX-AWS-001", "severity": "HIGH", "title": "title", "message": "msg",
		"file": "relative/path.tf", "line": 12.0, "end_line": 20.0, "resource": "aws_security_group.web",
		"remediation": "fix", "references": []any{"https://example.com"},
	}
	if !reflect.DeepEqual(f, wantF) {
		t.Errorf("finding = %v, want %v", f, wantF)
	}
	e := doc["errors"].([]any)[0].(map[string]any)
	wantE := map[string]any{"file": "bad.tf", "line": 3.0, "message": "parse"}
	if !reflect.DeepEqual(e, wantE) {
		t.Errorf("error = %v, want %v", e, wantE)
	}

	// And the whole report reads back into the same value.
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	r.Rules, r.Checks = nil, nil
	if !reflect.DeepEqual(back, r) {
		t.Errorf("round trip =\n%+v\nwant\n%+v", back, r)
	}
}

func TestNoteOmitsEmptyFile(t *testing.T) {
	b, err := json.Marshal(Note{Message: "remote module not downloaded"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"message":"remote module not downloaded"}`; string(b) != want {
		t.Errorf("json.Marshal(Note) = %s, want %s", b, want)
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
