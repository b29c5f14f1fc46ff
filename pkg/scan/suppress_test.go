package scan

import (
	"testing"
	"time"
)

func TestParseSuppressions(t *testing.T) {
	src := []byte(`resource "aws_instance" "a" { # fixity:ignore FX-AWS-020 bastion, replaced weekly
  # fixity:ignore FX-AWS-014,fx-aws-013 exp:2027-01-31 until the SSM migration
  key_name = "ops"
  // fixity:ignore * generated
  /* fixity:ignore FX-AWS-012 */
  user_data = "fixity:ignore is mentioned here but not as a comment"
}
`)
	got := parseSuppressions(src)
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		line   int
		rule   string
		covers bool
		reason string
	}{
		{1, "FX-AWS-020", true, "bastion, replaced weekly"},
		{1, "FX-AWS-014", false, "bastion, replaced weekly"},
		{2, "FX-AWS-014", true, "until the SSM migration"},
		{2, "FX-AWS-013", true, "until the SSM migration"},
		{4, "FX-AWS-001", true, "generated"},
		{5, "FX-AWS-012", true, ""},
	}
	for _, tc := range tests {
		s, ok := got[tc.line]
		if !ok {
			t.Errorf("line %d: no suppression", tc.line)
			continue
		}
		if s.covers(tc.rule, now) != tc.covers {
			t.Errorf("line %d: covers(%s) = %v, want %v", tc.line, tc.rule, !tc.covers, tc.covers)
		}
		if s.reason != tc.reason {
			t.Errorf("line %d: reason %q, want %q", tc.line, s.reason, tc.reason)
		}
	}
	if _, ok := got[6]; ok {
		t.Errorf("line 6: text inside a string is not a suppression")
	}
	if len(got) != 4 {
		t.Errorf("got %d suppressions, want 4", len(got))
	}
}

func TestSuppressionExpiry(t *testing.T) {
	s := parseSuppressions([]byte("# fixity:ignore FX-AWS-001 exp:2026-11-23 until the migration\n"))[1]
	if !s.covers("FX-AWS-001", time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC)) {
		t.Error("a suppression holds through its expiry day")
	}
	if s.covers("FX-AWS-001", time.Date(2026, 11, 24, 0, 0, 1, 0, time.UTC)) {
		t.Error("a suppression lapses after its expiry day")
	}
}
