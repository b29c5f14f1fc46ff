package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/fixity-sec/fixity/pkg/finding"
)

// Table writes a report for a person at a terminal: findings grouped by
// file, one short block each, then errors, notes and a one-line summary.
// Long text wraps at Options.Width so the blocks stay readable in an
// 80-column terminal; there are no box-drawing tables to break when they
// do not fit.
type Table struct {
	Options
}

const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiBoldRed = "\x1b[1;31m"
	ansiRed     = "\x1b[31m"
	ansiYellow  = "\x1b[33m"
	ansiBlue    = "\x1b[34m"
	ansiDim     = "\x1b[2m"
)

// sevWidth is the width of the widest severity name, CRITICAL, so rule IDs
// line up under each other.
const sevWidth = 8

// indent is where a finding's detail lines start: under its rule ID.
const indent = 2 + sevWidth + 2

func (t Table) Write(w io.Writer, r *finding.Report) error {
	if r == nil {
		return errNilReport
	}
	n := normalize(r)
	width := t.Width
	if width <= 0 {
		width = 80
	}
	p := tablePrinter{Options: t.Options, width: width}

	shown := n.Findings
	if !t.Verbose {
		shown = shown[:0:0]
		for _, f := range n.Findings {
			if !f.Suppressed {
				shown = append(shown, f)
			}
		}
	}

	if len(shown) == 0 {
		p.line("No findings.")
	}
	file := ""
	for i, f := range shown {
		if i > 0 {
			p.line("")
		}
		if i == 0 || f.File != file {
			file = f.File
			name := file
			if name == "" {
				name = "(no file)"
			}
			p.line(p.paint(ansiBold, clean(name)))
		}
		p.finding(f)
	}

	if len(n.Errors) > 0 {
		p.line("")
		p.line(p.paint(ansiBold, fmt.Sprintf("Errors (%d):", len(n.Errors))))
		for _, e := range n.Errors {
			p.wrapped("  ", "    ", e.Error())
		}
	}
	if len(n.Notes) > 0 {
		p.line("")
		p.line(p.paint(ansiBold, fmt.Sprintf("Notes (%d):", len(n.Notes))))
		for _, note := range n.Notes {
			text := note.Message
			if note.File != "" {
				text = note.File + ": " + text
			}
			p.wrapped("  ", "    ", text)
		}
	}

	p.line("")
	p.line(p.summary(n.Summary))
	return flush(w, &p.buf)
}

type tablePrinter struct {
	Options
	width int
	buf   bytes.Buffer
}

// clean makes text from the scanned files safe to print to a terminal: a
// resource name or message carrying escape sequences could otherwise
// rewrite the screen. Control characters are shown escaped (\x1b); line
// breaks are kept and tabs become spaces.
func clean(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (p *tablePrinter) line(s string) {
	p.buf.WriteString(s)
	p.buf.WriteByte('\n')
}

// paint wraps s in an ANSI colour when colour is on.
func (p *tablePrinter) paint(code, s string) string {
	if !p.Color || code == "" {
		return s
	}
	return code + s + ansiReset
}

func severityColor(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return ansiBoldRed
	case finding.High:
		return ansiRed
	case finding.Medium:
		return ansiYellow
	case finding.Low:
		return ansiBlue
	}
	return ""
}

func (p *tablePrinter) finding(f finding.Finding) {
	sev := f.Severity.String()
	// Padding goes outside the colour codes so that columns line up
	// whether or not colour is on.
	id := clean(f.RuleID)
	head := "  " + p.paint(severityColor(f.Severity), sev) + strings.Repeat(" ", max(sevWidth-len(sev), 0)+2) + id
	if f.Title != "" {
		head += "  "
	}
	pad := strings.Repeat(" ", indent)
	// The head's visible width, for wrapping the title under itself.
	headWidth := indent + len(id) + 2
	p.wrappedAt(head, strings.Repeat(" ", headWidth), headWidth, f.Title, "")

	where := f.Location().String()
	if f.Resource != "" {
		if where != "" {
			where += "  "
		}
		where += f.Resource
	}
	if where != "" {
		p.line(pad + clean(where))
	}
	if f.Suppressed {
		text := "Suppressed"
		if f.SuppressionReason != "" {
			text += ": " + f.SuppressionReason
		}
		p.wrappedAt(pad, pad, len(pad), text, ansiDim)
	}
	if f.Message != "" {
		p.wrapped(pad, pad, f.Message)
	}
	if !p.Verbose {
		return
	}
	// Remediations hold code snippets: keep their line breaks.
	for i, l := range strings.Split(strings.TrimSpace(f.Remediation), "\n") {
		if i == 0 {
			p.wrapped(pad+"Fix: ", pad+"     ", l)
		} else {
			p.wrapped(pad+"     ", pad+"     ", l)
		}
	}
	for _, ref := range f.References {
		p.wrapped(pad+"See: ", pad+"     ", ref)
	}
}

// wrapped writes text word-wrapped at the printer's width; first prefixes
// the first line and rest the others. Both prefixes are plain text, so their
// byte length is their visible width.
func (p *tablePrinter) wrapped(first, rest, text string) {
	p.wrappedAt(first, rest, len(first), text, "")
}

// wrappedAt is wrapped for a first prefix that holds colour codes
// (firstWidth is its visible width), painting each line of text in code.
func (p *tablePrinter) wrappedAt(first, rest string, firstWidth int, text, code string) {
	lines := wrap(clean(text), p.width-firstWidth, p.width-len(rest))
	if len(lines) == 0 {
		p.line(strings.TrimRight(first, " "))
		return
	}
	for i, l := range lines {
		l = p.paint(code, l)
		if i == 0 {
			p.line(first + l)
		} else {
			p.line(rest + l)
		}
	}
}

// wrap breaks text into lines of at most firstWidth (then restWidth)
// characters at spaces. A word longer than a line (a URL) gets a line of
// its own rather than being cut. Line breaks in text are kept.
func wrap(text string, firstWidth, restWidth int) []string {
	var lines []string
	limit := max(firstWidth, 20)
	for _, para := range strings.Split(strings.TrimSpace(text), "\n") {
		cur := ""
		for _, word := range strings.Fields(para) {
			switch {
			case cur == "":
				cur = word
			case len([]rune(cur))+1+len([]rune(word)) <= limit:
				cur += " " + word
			default:
				lines = append(lines, cur)
				limit = max(restWidth, 20)
				cur = word
			}
		}
		lines = append(lines, cur)
		limit = max(restWidth, 20)
	}
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	return lines
}

// summary is the last line: what was scanned and what was found.
func (p *tablePrinter) summary(s finding.Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s:", plural(s.Files, "file"), plural(s.Resources, "resource"))
	for i, sev := range finding.Severities() {
		if i > 0 {
			b.WriteByte(',')
		}
		text := fmt.Sprintf("%d %s", s.Findings[sev], sev)
		if s.Findings[sev] > 0 {
			text = p.paint(severityColor(sev), text)
		}
		b.WriteString(" " + text)
	}
	// Advisories may carry no severity at all; they are shown, not hidden.
	if n := s.Findings[finding.Unknown]; n > 0 {
		fmt.Fprintf(&b, ", %d %s", n, finding.Unknown)
	}
	if s.Suppressed > 0 {
		fmt.Fprintf(&b, " (%d suppressed)", s.Suppressed)
	}
	return b.String()
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
