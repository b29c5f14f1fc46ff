package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/config"
	"github.com/fixity-sec/fixity/pkg/finding"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const ecr = `resource "aws_ecr_repository" "web" {
  name                 = "web"
  image_tag_mutability = "MUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
}
`

type key struct {
	rule, file string
	line       int
	suppressed bool
	reason     string
}

func keys(r *finding.Report) []key {
	var out []key
	for _, f := range r.Findings {
		out = append(out, key{f.RuleID, f.File, f.Line, f.Suppressed, f.SuppressionReason})
	}
	return out
}

func TestRunSuppressionsAndConfig(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name  string
		files map[string]string
		cfg   *config.Config
		want  []key
	}{
		{
			name:  "no suppression",
			files: map[string]string{"main.tf": ecr},
			want:  []key{{"FX-AWS-023", "main.tf", 3, false, ""}},
		},
		{
			name:  "on the attribute line",
			files: map[string]string{"main.tf": replaceLine(ecr, 3, `  image_tag_mutability = "MUTABLE" # fixity:ignore FX-AWS-023 promoted by tag, pinned in deploy`)},
			want:  []key{{"FX-AWS-023", "main.tf", 3, true, "promoted by tag, pinned in deploy"}},
		},
		{
			name:  "on the line above the resource",
			files: map[string]string{"main.tf": "# fixity:ignore FX-AWS-023\n" + ecr},
			want:  []key{{"FX-AWS-023", "main.tf", 4, true, "suppressed inline"}},
		},
		{
			name:  "another rule's suppression does not apply",
			files: map[string]string{"main.tf": "# fixity:ignore FX-AWS-024\n" + ecr},
			want:  []key{{"FX-AWS-023", "main.tf", 4, false, ""}},
		},
		{
			name:  "expired",
			files: map[string]string{"main.tf": "# fixity:ignore FX-AWS-023 exp:2026-11-22 until the migration\n" + ecr},
			want:  []key{{"FX-AWS-023", "main.tf", 4, false, ""}},
		},
		{
			name:  "excluded rule",
			files: map[string]string{"main.tf": ecr},
			cfg:   &config.Config{ExcludeRules: []string{"FX-AWS-023"}},
			want:  []key{{"FX-AWS-023", "main.tf", 3, true, "rule excluded by configuration"}},
		},
		{
			name:  "excluded path",
			files: map[string]string{"legacy/main.tf": ecr, "main.tf": ecr},
			cfg:   &config.Config{ExcludePaths: []string{"legacy/**"}},
			want:  []key{{"FX-AWS-023", "main.tf", 3, false, ""}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, tc.files)
			rep, err := Run(context.Background(), Options{Root: dir, Config: tc.cfg, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(rep); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("findings %+v, want %+v", got, tc.want)
			}
		})
	}
}

// A finding on one key of a map literal sits inside the map's attribute:
// an ignore comment on the attribute's line, or the line above it, covers
// it, as it covered the attribute before findings pointed at the key.
func TestRunSuppressionOnEnclosingAttribute(t *testing.T) {
	lambda := func(comment string) string {
		return `resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  environment {
` + comment + `
    variables = {
      LOG_LEVEL   = "info"
      DB_PASSWORD = "hunter2-but-longer"
    }
  }
}
`
	}
	for _, tc := range []struct {
		name       string
		comment    string
		suppressed bool
	}{
		{"none", "", false},
		{"above the map", "    # fixity:ignore FX-AWS-016 rotated by the pipeline", true},
		{"another rule", "    # fixity:ignore FX-AWS-017", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Run(context.Background(), Options{Root: writeTree(t, map[string]string{"main.tf": lambda(tc.comment)})})
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, f := range rep.Findings {
				if f.RuleID != "FX-AWS-016" {
					continue
				}
				found = true
				if f.Line != 8 || f.Suppressed != tc.suppressed {
					t.Errorf("FX-AWS-016 at line %d suppressed %v, want line 8 suppressed %v", f.Line, f.Suppressed, tc.suppressed)
				}
			}
			if !found {
				t.Fatal("no FX-AWS-016 finding")
			}
		})
	}
}

func TestRunSeverityOverride(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": ecr})
	rep, err := Run(context.Background(), Options{Root: dir, Config: &config.Config{
		SeverityOverrides: config.Overrides{"FX-AWS-023": finding.Low},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Severity != finding.Low || rep.Summary.Findings[finding.Low] != 1 {
		t.Fatalf("findings %+v summary %+v", rep.Findings, rep.Summary)
	}
	for _, r := range rep.Rules {
		if r.ID == "FX-AWS-023" && r.Severity != finding.Low {
			t.Fatalf("rule metadata keeps severity %v", r.Severity)
		}
	}
}

// TestRunDeterministic scans the insecure example repeatedly: rules run
// concurrently, and the report must not depend on scheduling.
func TestRunDeterministic(t *testing.T) {
	var first *finding.Report
	for i := 0; i < 5; i++ {
		rep, err := Run(context.Background(), Options{Root: "../../examples/terraform/insecure"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) < 40 {
			t.Fatalf("only %d findings on the insecure example", len(rep.Findings))
		}
		if first == nil {
			first = rep
			continue
		}
		if !reflect.DeepEqual(first.Findings, rep.Findings) || !reflect.DeepEqual(first.Checks, rep.Checks) {
			t.Fatal("two scans of the same tree differ")
		}
	}
}

func TestRunSingleFileAndMissingRoot(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": ecr})
	rep, err := Run(context.Background(), Options{Root: filepath.Join(dir, "main.tf")})
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(rep); len(got) != 1 || got[0].file != "main.tf" {
		t.Fatalf("single file: %+v", got)
	}
	if _, err := Run(context.Background(), Options{Root: filepath.Join(dir, "nope")}); err == nil {
		t.Fatal("a missing root is an error")
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Root: "../../examples/terraform/insecure"}); err == nil {
		t.Fatal("a cancelled scan returns an error")
	}
}

func replaceLine(src string, n int, line string) string {
	lines := strings.Split(src, "\n")
	lines[n-1] = line
	return strings.Join(lines, "\n")
}

// TestRunRootsAreIndependent scans the examples together and one by one:
// a root module (or template) never borrows another's companion resources or
// account settings, so the findings must be the same either way.
func TestRunRootsAreIndependent(t *testing.T) {
	dirs, err := filepath.Glob("../../examples/*/*")
	if err != nil {
		t.Fatal(err)
	}
	all, err := Run(context.Background(), Options{Root: "../../examples"})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			continue
		}
		prefix, _ := filepath.Rel("../../examples", dir)
		prefix = filepath.ToSlash(prefix) + "/"
		alone, err := Run(context.Background(), Options{Root: dir})
		if err != nil {
			t.Fatal(err)
		}
		var want, got []string
		for _, f := range alone.Findings {
			want = append(want, fmt.Sprintf("%s %s%s:%d %s", f.RuleID, prefix, f.File, f.Line, f.Resource))
		}
		for _, f := range all.Findings {
			if strings.HasPrefix(f.File, prefix) {
				// Names made from paths (Dockerfiles) are relative to the scan root too.
				res := strings.Replace(f.Resource, prefix, "", 1)
				got = append(got, fmt.Sprintf("%s %s:%d %s", f.RuleID, f.File, f.Line, res))
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Errorf("%s: scanned alone %d findings, scanned with the rest %d", dir, len(want), len(got))
		}
	}
}

// TestRunUnreadableFile: a file of a scanned format that cannot be opened
// is an error in the report, whatever its format, never only a note.
func TestRunUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	dir := writeTree(t, map[string]string{"ecr.tf": ecr, "Dockerfile": "FROM alpine\n"})
	p := filepath.Join(dir, "Dockerfile")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(p, 0o644)
	rep, err := Run(context.Background(), Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].File != "Dockerfile" {
		t.Fatalf("errors %+v, want the unreadable Dockerfile", rep.Errors)
	}
	for _, n := range rep.Notes {
		if n.File == "Dockerfile" {
			t.Errorf("the unreadable file is also a note: %+v", n)
		}
	}
	if rep.Summary.Resources != 1 {
		t.Errorf("%d resources, want the readable ECR repository", rep.Summary.Resources)
	}
}
