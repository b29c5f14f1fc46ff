package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/finding"
)

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	c, err := Find(dir)
	if err != nil || c.Path != "" {
		t.Fatalf("no file: got %+v, %v", c, err)
	}
	write(t, dir, ".fixity.yml", `
fail-on: medium
exclude-rules: [FX-AWS-020]
exclude-paths: ["legacy/**"]
severity-overrides:
  FX-AWS-014: CRITICAL
`)
	c, err = Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.FailOn != "medium" || c.ExcludeRules[0] != "FX-AWS-020" || c.ExcludePaths[0] != "legacy/**" ||
		c.SeverityOverrides["FX-AWS-014"] != finding.Critical {
		t.Fatalf("got %+v", c)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"unknown key", "fail-on: HIGH\nexclude-rule: [FX-AWS-001]\n", `line 2: unknown key "exclude-rule"`},
		{"bad severity", "fail-on: SEVERE\n", `fail-on: unknown severity "SEVERE"`},
		{"bad override", "severity-overrides:\n  FX-AWS-001: URGENT\n", `line 2`},
		{"bad rule id", "exclude-rules: [aws-001]\n", `"aws-001" is not a rule ID`},
		{"bad yaml", "exclude-rules: [\n", "line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, t.TempDir(), ".fixity.yaml", tc.body)
			_, err := Load(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), p) {
				t.Fatalf("error %v, want it to name the file and contain %q", err, tc.want)
			}
		})
	}
}

func TestEmptyFile(t *testing.T) {
	p := write(t, t.TempDir(), ".fixity.yaml", "")
	if _, err := Load(p); err != nil {
		t.Fatal(err)
	}
}

// TestLoadErrorsNameTheLine: every bad key or value is reported as
// "file: line N: ...", on one line, in the file's own vocabulary (no Go
// type names), as the README promises.
func TestLoadErrorsNameTheLine(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"unknown key", "fail-on: HIGH\nexclude-rule: [FX-AWS-001]\n", `line 2: unknown key "exclude-rule" (want fail-on, exclude-rules, exclude-paths or severity-overrides)`},
		{"bad severity", "exclude-rules: []\nfail-on: SEVERE\n", `line 2: fail-on: unknown severity "SEVERE"`},
		{"bad rule id", "exclude-rules:\n  - FX-AWS-001\n  - aws-001\n", `line 3: exclude-rules: "aws-001" is not a rule ID`},
		{"override rule id", "severity-overrides:\n  FX-AWS-001: LOW\n  bogus: LOW\n", `line 3: severity-overrides: "bogus" is not a rule ID`},
		{"a string for a list", "exclude-rules: FX-AWS-001\n", `line 1: exclude-rules: want a list, e.g. [FX-AWS-001]`},
		{"a list for a string", "fail-on: [HIGH]\n", `line 1: fail-on: want one of LOW, MEDIUM, HIGH or CRITICAL`},
		{"a mapping in a list", "exclude-paths:\n  - {a: b}\n", `line 2: exclude-paths: want a list of strings`},
		{"duplicate key", "exclude-paths: [a]\nexclude-paths: [b]\n", `line 2: exclude-paths is set twice (first on line 1)`},
		{"not a mapping", "- fail-on: HIGH\n", `line 1: want a mapping of settings`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, t.TempDir(), ".fixity.yaml", tc.body)
			_, err := Load(p)
			if err == nil || err.Error() != p+": "+tc.want && !strings.HasPrefix(err.Error(), p+": "+tc.want) {
				t.Fatalf("error %v\nwant   %s: %s", err, p, tc.want)
			}
			if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "config.") || strings.Contains(err.Error(), "[]string") {
				t.Errorf("error %q: want one line without Go types", err)
			}
		})
	}
}
