package corpusgen

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
)

// tfFiles returns the .tf files under dir, relative and sorted.
func tfFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tf") {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"smallest", Config{Files: MinFiles, Resources: 3, Seed: 1}},
		{"fewer resources than files", Config{Files: 40, Resources: 10, Seed: 2}},
		{"no resources", Config{Files: 15, Resources: 0, Seed: 3}},
		{"typical", Config{Files: 120, Resources: 1200, Seed: 4}},
		{"dense", Config{Files: 30, Resources: 900, Services: 3, Seed: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			st, err := Generate(dir, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			files := tfFiles(t, dir)
			if len(files) != tt.cfg.Files || st.Files != tt.cfg.Files {
				t.Errorf("files: wrote %d, stats say %d, want %d", len(files), st.Files, tt.cfg.Files)
			}
			if st.Resources != tt.cfg.Resources {
				t.Errorf("stats.Resources = %d, want %d", st.Resources, tt.cfg.Resources)
			}
			sum := 0
			for _, n := range st.ByType {
				sum += n
			}
			if sum != st.Resources {
				t.Errorf("ByType sums to %d, Resources is %d", sum, st.Resources)
			}
			p := hclparse.NewParser()
			for _, f := range files {
				if _, diags := p.ParseHCLFile(filepath.Join(dir, f)); diags.HasErrors() {
					t.Errorf("%s: %s", f, diags.Error())
				}
			}
		})
	}
}

func TestGenerateDeterministic(t *testing.T) {
	cfg := Config{Files: 60, Resources: 500, Seed: 42}
	a, b := t.TempDir(), t.TempDir()
	if _, err := Generate(a, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, cfg); err != nil {
		t.Fatal(err)
	}
	for _, f := range tfFiles(t, a) {
		x, err := os.ReadFile(filepath.Join(a, f))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, f))
		if err != nil {
			t.Fatalf("%s missing from the second run: %v", f, err)
		}
		if !bytes.Equal(x, y) {
			t.Fatalf("%s differs between two runs with the same seed", f)
		}
	}

	c := t.TempDir()
	cfg.Seed = 43
	if _, err := Generate(c, cfg); err != nil {
		t.Fatal(err)
	}
	same := true
	for _, f := range tfFiles(t, a) {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(c, f))
		same = same && bytes.Equal(x, y)
	}
	if same {
		t.Error("seeds 42 and 43 gave the same corpus")
	}
}

func TestGenerateRefuses(t *testing.T) {
	if _, err := Generate(t.TempDir(), Config{Files: MinFiles - 1, Resources: 10}); err == nil {
		t.Error("too few files: no error")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.tf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(dir, Config{Files: 20, Resources: 10}); err == nil {
		t.Error("non-empty directory: no error")
	}
}
