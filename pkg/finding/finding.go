// Package finding holds the one shape every fixity analysis returns:
// findings with a severity and a source location, gathered in a Report.
package finding

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Severity orders findings. The zero value is Unknown, which sorts below Low
// so that a missing severity never fails a gate by accident.
type Severity int

const (
	Unknown Severity = iota
	Low
	Medium
	High
	Critical
)

// Severities lists the known severities from the most to the least severe,
// the order reports print them in.
var severities = [...]Severity{Critical, High, Medium, Low}

// Severities returns the known severities, most severe first.
func Severities() []Severity { return severities[:] }

func (s Severity) String() string {
	switch s {
	case Low:
		return "LOW"
	case Medium:
		return "MEDIUM"
	case High:
		return "HIGH"
	case Critical:
		return "CRITICAL"
	}
	return "UNKNOWN"
}

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "LOW":
		return Low, nil
	case "MEDIUM":
		return Medium, nil
	case "HIGH":
		return High, nil
	case "CRITICAL":
		return Critical, nil
	}
	return Unknown, fmt.Errorf("unknown severity %q (want LOW, MEDIUM, HIGH or CRITICAL)", s)
}

func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads what MarshalText writes, UNKNOWN included: a
// vulnerability record may carry no severity at all.
func (s *Severity) UnmarshalText(b []byte) error {
	if string(b) == "UNKNOWN" {
		*s = Unknown
		return nil
	}
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Range is a span of lines in a file. File is relative to the scanned root,
// with forward slashes, so reports are stable across machines.
type Range struct {
	File      string `json:"file"`
	StartLine int    `json:"line"`
	EndLine   int    `json:"end_line"`
}

func (r Range) String() string {
	if r.StartLine == 0 {
		return r.File
	}
	if r.EndLine > r.StartLine {
		return fmt.Sprintf("%s:%d-%d", r.File, r.StartLine, r.EndLine)
	}
	return fmt.Sprintf("%s:%d", r.File, r.StartLine)
}

// Finding is one rule firing on one resource.
type Finding struct {
	RuleID      string   `json:"rule_id"`
	Severity    Severity `json:"severity"`
	Title       string   `json:"title"`
	Message     string   `json:"message"`
	File        string   `json:"file"`
	Line        int      `json:"line"`
	EndLine     int      `json:"end_line"`
	Resource    string   `json:"resource,omitempty"`
	Remediation string   `json:"remediation,omitempty"`
	References  []string `json:"references,omitempty"`
	// Suppressed findings stay in the report so that nothing is silently
	// lost; they never fail the gate.
	Suppressed        bool   `json:"suppressed,omitempty"`
	SuppressionReason string `json:"suppression_reason,omitempty"`
}

// Location returns the finding's source range.
func (f Finding) Location() Range { return Range{File: f.File, StartLine: f.Line, EndLine: f.EndLine} }

// Error is input that could not be read or parsed. It never stops a scan.
type Error struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (e Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)
	}
	if e.File != "" {
		return fmt.Sprintf("%s: %s", e.File, e.Message)
	}
	return e.Message
}

// Note is something the user should know that is neither a finding nor an
// error: a skipped binary file, a remote module that was not downloaded.
type Note struct {
	File    string `json:"file,omitempty"`
	Message string `json:"message"`
}

// Rule is the metadata a report needs about a rule (SARIF lists every rule
// that ran).
type Rule struct {
	ID          string   `json:"id"`
	Severity    Severity `json:"severity"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Remediation string   `json:"remediation"`
	References  []string `json:"references,omitempty"`
}

// Schema is the version tag of the JSON report.
const Schema = "fixity.report/v1"

// Tool names the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Summary counts what a scan saw. Findings counts unsuppressed findings by
// severity; every severity is present, even at zero, so consumers need no
// defaults.
type Summary struct {
	Files      int              `json:"files"`
	Resources  int              `json:"resources"`
	Findings   map[Severity]int `json:"findings"`
	Suppressed int              `json:"suppressed"`
}

// Report is the result of one run of one verb.
type Report struct {
	Schema   string    `json:"schema"`
	Tool     Tool      `json:"tool"`
	Target   string    `json:"target"`
	Summary  Summary   `json:"summary"`
	Findings []Finding `json:"findings"`
	Errors   []Error   `json:"errors"`
	Notes    []Note    `json:"notes,omitempty"`
	// Rules is every rule that ran; the SARIF writer lists them.
	Rules []Rule `json:"-"`
	// Checks is every (rule, resource) pair a rule looked at, whether it
	// fired or not; the JUnit writer makes each one a test case.
	Checks []Check `json:"-"`
}

// Check records that a rule looked at a resource.
type Check struct {
	RuleID   string
	Resource string
	File     string
	Line     int
}

// Tally recomputes Summary.Findings and Summary.Suppressed from Findings.
func (r *Report) Tally() {
	r.Summary.Findings = make(map[Severity]int, len(severities))
	for _, s := range severities {
		r.Summary.Findings[s] = 0
	}
	r.Summary.Suppressed = 0
	for _, f := range r.Findings {
		if f.Suppressed {
			r.Summary.Suppressed++
			continue
		}
		r.Summary.Findings[f.Severity]++
	}
}

// Fails reports whether any unsuppressed finding is at or above threshold.
func (r *Report) Fails(threshold Severity) bool {
	for _, f := range r.Findings {
		if !f.Suppressed && f.Severity >= threshold {
			return true
		}
	}
	return false
}

// MarshalJSON keeps slices as [] rather than null, which consumers of a
// versioned schema should be able to rely on.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	p := plain(r)
	if p.Findings == nil {
		p.Findings = []Finding{}
	}
	if p.Errors == nil {
		p.Errors = []Error{}
	}
	return json.Marshal(p)
}
