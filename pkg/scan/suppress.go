package scan

import (
	"regexp"
	"strings"
	"time"
)

// An inline suppression is a comment naming the rules it silences, with an
// optional expiry date and a reason:
//
//	# fixity:ignore FX-AWS-001,FX-AWS-002 exp:2027-01-31 bastion for the incident
//
// It applies on the line it is on and the line below, so it can sit on the
// offending attribute, on the resource line, or above either. "*" silences
// every rule.
var ignoreComment = regexp.MustCompile(`(?:#|//|/\*)\s*fixity:ignore\s+([A-Za-z0-9*,._\-]+)(.*)`)

var expiry = regexp.MustCompile(`^\s*exp:(\d{4}-\d{2}-\d{2})\b`)

type suppression struct {
	rules   []string
	expires time.Time // zero: never
	reason  string
}

func (s suppression) covers(ruleID string, now time.Time) bool {
	if !s.expires.IsZero() && now.After(s.expires) {
		return false
	}
	for _, r := range s.rules {
		if r == "*" || strings.EqualFold(r, ruleID) {
			return true
		}
	}
	return false
}

// parseSuppressions returns the suppressions in a file, by the 1-based line
// they were written on.
func parseSuppressions(src []byte) map[int]suppression {
	var out map[int]suppression
	for i, line := range strings.Split(string(src), "\n") {
		if !strings.Contains(line, "fixity:ignore") {
			continue
		}
		m := ignoreComment.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		s := suppression{rules: strings.Split(m[1], ",")}
		rest := m[2]
		if e := expiry.FindStringSubmatch(rest); e != nil {
			if t, err := time.Parse("2006-01-02", e[1]); err == nil {
				// The suppression holds through the whole expiry day.
				s.expires = t.Add(24*time.Hour - time.Nanosecond)
			}
			rest = rest[len(e[0]):]
		}
		s.reason = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "*/"))
		if out == nil {
			out = map[int]suppression{}
		}
		out[i+1] = s
	}
	return out
}
