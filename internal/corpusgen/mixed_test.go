package corpusgen

import (
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/scan"
)

// TestGenerateMixedLoads checks that a scan loads a mixed corpus without
// errors and finds, per format, exactly the files and resources the
// generator says it wrote.
func TestGenerateMixedLoads(t *testing.T) {
	for _, cfg := range []Config{
		{Files: MinMixedFiles, Resources: 5, Seed: 1, Mix: true},
		{Files: MinMixedFiles, Resources: 300, Seed: 2, Mix: true},
		{Files: 60, Resources: 600, Seed: 3, Mix: true},
		{Files: 200, Resources: 2500, Seed: 4, Mix: true},
		{Files: 300, Resources: 100, Seed: 5, Mix: true},
		{Files: 40, Resources: 0, Seed: 6, Mix: true},
	} {
		dir := t.TempDir()
		st, err := Generate(dir, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if st.Files != cfg.Files {
			t.Errorf("%+v: wrote %d files", cfg, st.Files)
		}
		ctx := context.Background()
		state, err := scan.Load(ctx, scan.Options{Root: dir})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range state.Errors {
			t.Errorf("%+v: load error %s:%d: %s", cfg, e.File, e.Line, e.Message)
		}
		if len(state.Files) != cfg.Files {
			t.Errorf("%+v: scan read %d files, want %d", cfg, len(state.Files), cfg.Files)
		}
		managed := 0
		byType := map[string]int{}
		byFormat := map[string]map[string]int{}
		for _, r := range state.Resources {
			if r.Mode != model.Managed {
				continue
			}
			managed++
			byType[r.Type]++
			if byFormat[r.Format] == nil {
				byFormat[r.Format] = map[string]int{}
			}
			byFormat[r.Format][r.Type]++
		}
		if managed != cfg.Resources || st.Resources != cfg.Resources {
			t.Errorf("%+v: scan found %d resources, generator says %d", cfg, managed, st.Resources)
		}
		if !maps.Equal(byType, st.ByType) {
			t.Errorf("%+v: resources by type:\nscan      %v\ngenerator %v", cfg, byType, st.ByType)
		}
		total := 0
		for _, f := range []string{Terraform, CloudFormation, Kubernetes, Dockerfile} {
			want := st.Formats[f]
			total += want.Files
			got := byFormat[f]
			if got == nil {
				got = map[string]int{}
			}
			if !maps.Equal(got, want.ByType) {
				t.Errorf("%+v: %s resources by type:\nscan      %v\ngenerator %v", cfg, f, got, want.ByType)
			}
			// Loading one format alone shows which files it claims.
			only, err := scan.Load(ctx, scan.Options{Root: dir, Types: []string{f}})
			if err != nil {
				t.Fatal(err)
			}
			if len(only.Files) != want.Files {
				t.Errorf("%+v: %s loader read %d files, generator wrote %d", cfg, f, len(only.Files), want.Files)
			}
		}
		if total != cfg.Files {
			t.Errorf("%+v: per-format files sum to %d", cfg, total)
		}
	}
}

// allFiles returns every file under dir with its content, by relative path.
func allFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateMixed(t *testing.T) {
	cfg := Config{Files: 80, Resources: 900, Seed: 42, Mix: true}
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	st, err := Generate(a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, cfg); err != nil {
		t.Fatal(err)
	}
	x, y := allFiles(t, a), allFiles(t, b)
	if !maps.Equal(x, y) {
		t.Error("two runs with the same seed differ")
	}
	if len(x) != cfg.Files {
		t.Errorf("wrote %d files, want %d", len(x), cfg.Files)
	}
	cfg.Seed = 43
	if _, err := Generate(c, cfg); err != nil {
		t.Fatal(err)
	}
	if maps.Equal(x, allFiles(t, c)) {
		t.Error("seeds 42 and 43 gave the same corpus")
	}

	// Every format has its part, and the parts add up.
	files, resources := 0, 0
	for _, f := range []string{Terraform, CloudFormation, Kubernetes, Dockerfile} {
		part := st.Formats[f]
		if part.Files == 0 || part.Resources == 0 {
			t.Errorf("%s: %d files, %d resources", f, part.Files, part.Resources)
		}
		files += part.Files
		resources += part.Resources
	}
	if files != st.Files || resources != st.Resources {
		t.Errorf("formats sum to %d files and %d resources, stats say %d and %d", files, resources, st.Files, st.Resources)
	}

	// Without Mix nothing changes: Terraform only, no breakdown.
	cfg.Mix = false
	plain, err := Generate(t.TempDir(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Formats != nil {
		t.Error("a Terraform-only corpus has a per-format breakdown")
	}

	if _, err := Generate(t.TempDir(), Config{Files: MinMixedFiles - 1, Resources: 10, Mix: true}); err == nil {
		t.Error("too few files for a mixed corpus: no error")
	}
}
