package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/fixity-sec/fixity/pkg/finding"
)

var ruleFormats = [...]string{"table", "json", "markdown"}

// RuleFormats returns the names WriteRules accepts, the default first.
func RuleFormats() []string { return append([]string(nil), ruleFormats[:]...) }

// WriteRules lists rules, in ID order, as an aligned table, a JSON array
// of finding.Rule, or a Markdown page for the documentation.
func WriteRules(w io.Writer, rules []finding.Rule, format string) error {
	rules = sortedRules(rules)
	var buf bytes.Buffer
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "table":
		rulesTable(&buf, rules)
	case "json":
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rules); err != nil {
			return err
		}
	case "markdown":
		rulesMarkdown(&buf, rules)
	default:
		return fmt.Errorf("unknown rules format %q (want %s)", format, oneOf(ruleFormats[:]))
	}
	return flush(w, &buf)
}

func rulesTable(buf *bytes.Buffer, rules []finding.Rule) {
	tw := tabwriter.NewWriter(buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, oneLine(r.Title))
	}
	// A bytes.Buffer never fails a write, so neither does Flush.
	_ = tw.Flush()
}

func rulesMarkdown(buf *bytes.Buffer, rules []finding.Rule) {
	buf.WriteString("# Rules\n\n")
	buf.WriteString("| ID | Severity | Title |\n")
	buf.WriteString("|----|----------|-------|\n")
	for _, r := range rules {
		fmt.Fprintf(buf, "| %s | %s | %s |\n", cell(r.ID), r.Severity, cell(r.Title))
	}
	for _, r := range rules {
		heading := r.ID
		if r.Title != "" {
			heading += ": " + oneLine(r.Title)
		}
		fmt.Fprintf(buf, "\n## %s\n\n", heading)
		fmt.Fprintf(buf, "**Severity:** %s\n", r.Severity)
		if d := strings.TrimSpace(r.Description); d != "" {
			fmt.Fprintf(buf, "\n%s\n", d)
		}
		if rem := strings.TrimSpace(r.Remediation); rem != "" {
			fmt.Fprintf(buf, "\n**Remediation:** %s\n", rem)
		}
		if len(r.References) > 0 {
			buf.WriteString("\n**References:**\n\n")
			for _, ref := range r.References {
				fmt.Fprintf(buf, "- <%s>\n", ref)
			}
		}
	}
}

// cell makes text safe inside a Markdown table cell: one line, pipes escaped.
func cell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

func oneLine(s string) string {
	return clean(strings.Join(strings.Fields(s), " "))
}
