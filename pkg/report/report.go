// Package report writes a finding.Report in the formats people and CI
// systems read: a table for terminals, the versioned JSON contract, SARIF
// 2.1.0 for code scanning, and JUnit XML for test dashboards. Each format is
// one Writer in its own file; the list of formats is written out in New, not
// collected by registration, so what exists is plain to read.
//
// Writers never change the report they are given: they sort and count a copy.
package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
)

// Options tune how a report is written. Only the table reads them; the
// machine formats are the same whatever the terminal.
type Options struct {
	// Color puts ANSI colours in the table. The caller decides (a TTY, no
	// NO_COLOR); the writer never looks at the terminal itself.
	Color bool
	// Verbose adds each finding's references to the table and lists
	// suppressed findings one by one instead of only counting them.
	Verbose bool
	// Width is the column the table wraps long text at; 0 means 80.
	Width int
	// SourcePrefix is the scanned directory as seen from where the report
	// is consumed (for SARIF: the repository root GitHub resolves paths
	// from). SARIF puts it before every relative file path; the other
	// formats keep paths relative to the scanned directory.
	SourcePrefix string
}

// Writer writes one report in one format.
type Writer interface {
	Write(w io.Writer, r *finding.Report) error
}

// formats is the order Formats returns and help text shows.
var formats = [...]string{"table", "json", "sarif", "junit"}

// Formats returns the names Write accepts, the default first.
func Formats() []string { return append([]string(nil), formats[:]...) }

// New returns the writer for format.
func New(format string, opts Options) (Writer, error) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "table":
		return Table{Options: opts}, nil
	case "json":
		return JSON{}, nil
	case "sarif":
		return SARIF{Options: opts}, nil
	case "junit":
		return JUnit{}, nil
	}
	return nil, fmt.Errorf("unknown report format %q (want %s)", format, oneOf(formats[:]))
}

// Write writes r to w in format.
func Write(w io.Writer, r *finding.Report, format string, opts Options) error {
	wr, err := New(format, opts)
	if err != nil {
		return err
	}
	return wr.Write(w, r)
}

var errNilReport = errors.New("no report to write")

// normalize returns a copy of r ready to print: findings in a stable order,
// errors and notes likewise, the summary recounted from the findings (so no
// format can print counts that disagree with its own list), and the schema
// and tool name filled in when a caller left them empty. r is not changed.
func normalize(r *finding.Report) finding.Report {
	c := *r
	if c.Schema == "" {
		c.Schema = finding.Schema
	}
	if c.Tool.Name == "" {
		c.Tool.Name = "fixity"
	}
	c.Findings = sortedFindings(r.Findings)
	c.Errors = append([]finding.Error{}, r.Errors...)
	sort.SliceStable(c.Errors, func(i, j int) bool {
		a, b := c.Errors[i], c.Errors[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	if len(r.Notes) > 0 {
		c.Notes = append([]finding.Note(nil), r.Notes...)
		sort.SliceStable(c.Notes, func(i, j int) bool { return c.Notes[i].File < c.Notes[j].File })
	}
	// Tally assigns a fresh map, so the caller's Summary.Findings is untouched.
	c.Tally()
	return c
}

// sortedFindings returns a copy of fs ordered by file, line, rule ID and
// resource; end line and message break the remaining ties so that the order
// never depends on the order the rules ran in.
func sortedFindings(fs []finding.Finding) []finding.Finding {
	out := append([]finding.Finding{}, fs...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.RuleID != b.RuleID:
			return a.RuleID < b.RuleID
		case a.Resource != b.Resource:
			return a.Resource < b.Resource
		case a.EndLine != b.EndLine:
			return a.EndLine < b.EndLine
		}
		return a.Message < b.Message
	})
	return out
}

// sortedRules returns a copy of rules ordered by ID, keeping the first of
// any duplicate IDs.
func sortedRules(rules []finding.Rule) []finding.Rule {
	out := make([]finding.Rule, 0, len(rules))
	seen := make(map[string]bool, len(rules))
	for _, r := range rules {
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// flush writes a finished buffer in one call. Writers build their whole
// output first so that a failure half-way never leaves half a document.
func flush(w io.Writer, buf *bytes.Buffer) error {
	_, err := w.Write(buf.Bytes())
	return err
}

// oneOf renders names as "a, b, c or d".
func oneOf(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
