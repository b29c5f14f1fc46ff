package corpusgen

import (
	"regexp"
	"strings"
)

var (
	heredocStart = regexp.MustCompile(`<<-?([A-Z]+)\s*$`)
	attrLine     = regexp.MustCompile(`^("[^"]*"|[A-Za-z0-9_-]+)\s*=([^=>].*)$`)
)

// format lays the generated HCL out the way terraform fmt does for the
// shapes this generator writes: two-space indentation by nesting depth, one
// level per line whatever the number of brackets it opens or closes, and
// the equals signs of consecutive attributes aligned. Heredoc bodies are
// kept as they are.
func format(src string) []byte {
	lines := strings.Split(strings.Trim(src, "\n"), "\n")
	out := make([]string, 0, len(lines))
	depth := 0
	heredoc := ""
	var group []int // indexes in out of the attribute lines being aligned
	groupDepth := -1
	flush := func() {
		width := 0
		for _, i := range group {
			m := attrLine.FindStringSubmatch(strings.TrimSpace(out[i]))
			width = max(width, len(m[1]))
		}
		for _, i := range group {
			m := attrLine.FindStringSubmatch(strings.TrimSpace(out[i]))
			indent := out[i][:len(out[i])-len(strings.TrimLeft(out[i], " "))]
			out[i] = indent + m[1] + strings.Repeat(" ", width-len(m[1])) + " = " + strings.TrimSpace(m[2])
		}
		group, groupDepth = group[:0], -1
	}
	for _, raw := range lines {
		if heredoc != "" {
			out = append(out, raw)
			if strings.TrimSpace(raw) == heredoc {
				heredoc = ""
			}
			continue
		}
		line := strings.TrimSpace(raw)
		if line == "" {
			flush()
			out = append(out, "")
			continue
		}
		lead := len(line) - len(strings.TrimLeft(line, "}])"))
		opens, closes := brackets(line)
		// Brackets opened together on one line, like jsonencode({, make
		// one level of indentation, and so do the ones closed together.
		d := depth
		if lead > 0 {
			d = max(depth-1, 0)
		}
		out = append(out, strings.Repeat("  ", d)+line)
		multiline := opens > closes
		if attrLine.MatchString(line) && (groupDepth == d || groupDepth < 0) {
			group = append(group, len(out)-1)
			groupDepth = d
			if multiline {
				flush()
			}
		} else {
			flush()
		}
		switch {
		case opens > closes:
			depth++
		case opens < closes:
			depth = max(depth-1, 0)
		}
		if m := heredocStart.FindStringSubmatch(line); m != nil {
			heredoc = m[1]
			flush()
		}
	}
	flush()
	return []byte(strings.Join(out, "\n") + "\n")
}

// brackets counts the opening and closing brackets of a line outside
// quoted strings.
func brackets(line string) (opens, closes int) {
	inString := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[' || c == '(':
			opens++
		case c == '}' || c == ']' || c == ')':
			closes++
		case c == '#':
			return opens, closes
		}
	}
	return opens, closes
}
