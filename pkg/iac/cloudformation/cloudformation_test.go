package cloudformation

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestAdapterGolden loads each template under testdata/templates and
// compares the whole model it makes (types, names, labels, attribute values,
// lines and references) with testdata/golden/<name>.txt.
func TestAdapterGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "templates", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			st, err := LoadFiles(context.Background(), "testdata/templates",
				[]walk.File{{Rel: name, Abs: f}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Files) != 1 || st.Files[0] != name {
				t.Errorf("Files = %v, want [%s]", st.Files, name)
			}
			got := dump(st)
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("model differs from %s (go test -update rewrites it):\n%s", golden, diff(string(want), got))
			}
		})
	}
}

// diff shows the first differing lines.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return ""
}

func TestMatch(t *testing.T) {
	for rel, want := range map[string]bool{
		"stack.yaml": true, "a/b/stack.yml": true, "x.json": true, "net.template": true,
		"STACK.YAML": true, "main.tf": false, "Dockerfile": false, "x.yaml.bak": false,
	} {
		if got := Match(rel); got != want {
			t.Errorf("Match(%q) = %v, want %v", rel, got, want)
		}
	}
}

// TestSkipsOtherYAML: Kubernetes manifests, compose files, package.json and
// the like are not templates and are skipped without a word.
func TestSkipsOtherYAML(t *testing.T) {
	st := loadDir(t, filepath.Join("testdata", "skip"), Options{})
	if len(st.Files) != 0 || len(st.Resources) != 0 || len(st.Errors) != 0 {
		t.Errorf("want nothing loaded, got files %v, %d resources, errors %v", st.Files, len(st.Resources), st.Errors)
	}
}

// TestBrokenTemplates: invalid YAML in a file meant as a template is an
// error with its line; the file contributes nothing else.
func TestBrokenTemplates(t *testing.T) {
	st := loadDir(t, filepath.Join("testdata", "broken"), Options{})
	var got []string
	for _, e := range st.Errors {
		got = append(got, e.Error())
	}
	want := []string{
		"bad-indent.yaml:7: invalid YAML: did not find expected key",
		"not-mapping.yaml:3: Resources is not a mapping",
		"stack.template:5: invalid JSON: invalid character '\"' after object key:value pair",
		"typeless.yaml:5: resource Broken has no Type",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(st.Resources) != 1 || st.Resources[0].Name != "Fine" {
		t.Errorf("want only the well-formed resource Fine, got %s", dump(st))
	}
	wantFiles := "bad-indent.yaml not-mapping.yaml stack.template typeless.yaml"
	if got := strings.Join(st.Files, " "); got != wantFiles {
		t.Errorf("Files = %s, want %s", got, wantFiles)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadFiles(ctx, ".", []walk.File{{Rel: "x.yaml", Abs: "x.yaml"}}, Options{}); err == nil {
		t.Error("want an error from a cancelled context")
	}
}

// TestUnreadable: a template that cannot be read is an error, not a stop.
func TestUnreadable(t *testing.T) {
	st, err := LoadFiles(context.Background(), ".", []walk.File{{Rel: "gone.yaml", Abs: filepath.Join(t.TempDir(), "gone.yaml")}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Errors) != 1 || !strings.Contains(st.Errors[0].Message, "cannot read") || st.Errors[0].File != "gone.yaml" {
		t.Errorf("errors = %v", st.Errors)
	}
}
