package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
)

// JUnit writes JUnit XML for CI dashboards: each rule is a test suite and
// each resource it looked at a test case, so a dashboard shows what passed
// as well as what failed. A (rule, resource) pair with findings fails; one
// whose findings are all suppressed is skipped. Files that could not be
// parsed are error test cases in a suite of their own.
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	findings  []finding.Finding
	line      int
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// MarshalXML writes the text as a character-data token, which keeps its
// line breaks as line breaks; a ",chardata" field would write each one as
// &#xA;, valid but unreadable in a CI log.
func (p junitProblem) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = []xml.Attr{
		{Name: xml.Name{Local: "message"}, Value: p.Message},
		{Name: xml.Name{Local: "type"}, Value: p.Type},
	}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeToken(xml.CharData(p.Text)); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

func (JUnit) Write(w io.Writer, r *finding.Report) error {
	if r == nil {
		return errNilReport
	}
	n := normalize(r)
	doc := junitSuites{Name: n.Tool.Name}
	for _, rule := range junitRules(n) {
		doc.Suites = append(doc.Suites, ruleSuite(rule, n))
	}
	if len(n.Errors) > 0 {
		doc.Suites = append(doc.Suites, errorSuite(n.Errors))
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
		doc.Errors += s.Errors
	}

	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return flush(w, &buf)
}

// junitRules is every rule the report ran, described or merely named by a
// check or a finding, in ID order.
func junitRules(r finding.Report) []finding.Rule {
	rules := reportRules(r)
	known := make(map[string]bool, len(rules))
	for _, rule := range rules {
		known[rule.ID] = true
	}
	for _, c := range r.Checks {
		if !known[c.RuleID] {
			known[c.RuleID] = true
			rules = append(rules, finding.Rule{ID: c.RuleID})
		}
	}
	return sortedRules(rules)
}

// caseKey identifies a test case within a rule's suite: the resource, or
// the file when a finding is about no resource in particular.
func caseKey(resource, file string) string {
	if resource != "" {
		return "r:" + resource
	}
	return "f:" + file
}

func ruleSuite(rule finding.Rule, r finding.Report) junitSuite {
	name := rule.ID
	if rule.Title != "" {
		name += ": " + rule.Title
	}
	suite := junitSuite{Name: name}

	cases := map[string]*junitCase{}
	var order []*junitCase
	get := func(resource, file string, line int) *junitCase {
		k := caseKey(resource, file)
		if c, ok := cases[k]; ok {
			return c
		}
		c := &junitCase{Name: resource, Classname: file, line: line}
		if c.Name == "" {
			c.Name = file
		}
		cases[k] = c
		order = append(order, c)
		return c
	}
	for _, c := range r.Checks {
		if c.RuleID == rule.ID {
			get(c.Resource, c.File, c.Line)
		}
	}
	for _, f := range r.Findings {
		if f.RuleID == rule.ID {
			c := get(f.Resource, f.File, f.Line)
			c.findings = append(c.findings, f)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		switch {
		case a.Classname != b.Classname:
			return a.Classname < b.Classname
		case a.line != b.line:
			return a.line < b.line
		}
		return a.Name < b.Name
	})

	for _, c := range order {
		judge(c)
		suite.Tests++
		switch {
		case c.Failure != nil:
			suite.Failures++
		case c.Skipped != nil:
			suite.Skipped++
		}
		suite.Cases = append(suite.Cases, *c)
	}
	return suite
}

// judge sets a test case's outcome from its findings: failed when any is
// unsuppressed, skipped when all are suppressed, passed when there are none.
func judge(c *junitCase) {
	var open, suppressed []finding.Finding
	for _, f := range c.findings {
		if f.Suppressed {
			suppressed = append(suppressed, f)
		} else {
			open = append(open, f)
		}
	}
	switch {
	case len(open) > 0:
		worst := open[0].Severity
		var body []string
		for _, f := range open {
			worst = max(worst, f.Severity)
			line := f.Message
			if loc := f.Location().String(); loc != "" {
				line = loc + ": " + line
			}
			body = append(body, line)
		}
		if rem := open[0].Remediation; rem != "" {
			body = append(body, "Remediation: "+rem)
		}
		msg := open[0].Message
		if msg == "" {
			msg = open[0].Title
		}
		if len(open) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(open)-1)
		}
		c.Failure = &junitProblem{Message: msg, Type: worst.String(), Text: strings.Join(body, "\n")}
	case len(suppressed) > 0:
		msg := "suppressed"
		if reason := suppressed[0].SuppressionReason; reason != "" {
			msg += ": " + reason
		}
		c.Skipped = &junitSkipped{Message: msg}
	}
}

func errorSuite(errs []finding.Error) junitSuite {
	suite := junitSuite{Name: "errors"}
	for _, e := range errs {
		name := finding.Range{File: e.File, StartLine: e.Line}.String()
		if name == "" {
			name = "fixity"
		}
		suite.Cases = append(suite.Cases, junitCase{
			Name:      name,
			Classname: e.File,
			Error:     &junitProblem{Message: e.Message, Type: "error", Text: e.Error()},
		})
		suite.Tests++
		suite.Errors++
	}
	return suite
}
