package rules_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/rules"
	"github.com/fixity-sec/fixity/pkg/scan"
)

var idPattern = regexp.MustCompile(`^FX-[A-Z0-9]+-\d{3}$`)

func TestRuleMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules.All() {
		if !idPattern.MatchString(r.ID) {
			t.Errorf("%s: ID does not match FX-<FAMILY>-<NNN>", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("%s: duplicate ID", r.ID)
		}
		seen[r.ID] = true
		if r.Severity.String() == "UNKNOWN" {
			t.Errorf("%s: no severity", r.ID)
		}
		if r.Title == "" || r.Why == "" || r.Remediation == "" {
			t.Errorf("%s: title, why and remediation are all required", r.ID)
		}
		if len(r.References) == 0 {
			t.Errorf("%s: no references", r.ID)
		}
		if len(r.ResourceTypes) == 0 {
			t.Errorf("%s: no resource types", r.ID)
		}
		if r.Check == nil {
			t.Errorf("%s: no check", r.ID)
		}
	}
}

// TestRuleFixtures runs every rule on its bad and good fixtures under
// testdata/<ID>/, in any input format. A line that must carry a finding is
// marked with a comment "want <ID>" on it, or with "want-below <ID>" on the
// line above where a format allows no comment after code (Dockerfiles,
// heredocs); the rule must fire exactly on the marked lines of bad/ and
// nowhere in good/.
func TestRuleFixtures(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			for _, kind := range []string{"bad", "good"} {
				dir := filepath.Join("testdata", r.ID, kind)
				if _, err := os.Stat(dir); err != nil {
					t.Fatalf("missing fixture %s", dir)
				}
				want := wantMarkers(t, dir, r.ID)
				if kind == "bad" && len(want) == 0 {
					t.Fatalf("%s has no 'want %s' marker", dir, r.ID)
				}
				if kind == "good" && len(want) != 0 {
					t.Fatalf("%s must not carry 'want' markers", dir)
				}
				st, err := scan.Load(context.Background(), scan.Options{Root: dir})
				if err != nil {
					t.Fatalf("load %s: %v", dir, err)
				}
				for _, e := range st.Errors {
					t.Errorf("%s: fixture does not load cleanly: %v", dir, e)
				}
				var got []string
				for _, res := range r.Check(st) {
					if res.Resource == nil || res.Message == "" {
						t.Errorf("%s: result without resource or message: %+v", dir, res)
					}
					got = append(got, fmt.Sprintf("%s:%d", res.Range.File, res.Range.StartLine))
				}
				sort.Strings(got)
				got = dedupe(got)
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("%s: findings at [%s], want [%s]", dir, strings.Join(got, " "), strings.Join(want, " "))
				}
			}
		})
	}
}

func wantMarkers(t *testing.T, dir, id string) []string {
	t.Helper()
	var out []string
	marker := regexp.MustCompile(`(?:#|//)\s*want(-below)?\s+([A-Z0-9, -]+)`)
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		for i, line := range strings.Split(string(data), "\n") {
			m := marker.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			line := i + 1
			if m[1] != "" {
				line++
			}
			for _, want := range strings.FieldsFunc(m[2], func(r rune) bool { return r == ',' || r == ' ' }) {
				if want == id {
					out = append(out, fmt.Sprintf("%s:%d", filepath.ToSlash(rel), line))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return dedupe(out)
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
