package kubernetes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the manifest loader and, as a rendered
// template, to the template locator: no panic, and every range is a real
// line span.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"testdata/*/*.yaml", "testdata/*/*.json", "testdata/*/*/*.yaml", "testdata/chart/web/templates/*"} {
		matches, _ := filepath.Glob(pattern)
		for _, m := range matches {
			if data, err := os.ReadFile(m); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: &m {name: a}\n  spec: {<<: *m}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, rel := range []string{"x.yaml", "x.json"} {
			res, errs, _ := loadManifest(rel, data)
			for _, r := range res {
				checkRanges(t, rel, r.Body)
			}
			for _, e := range errs {
				if e.Line < 1 {
					t.Fatalf("error without a line: %v", e)
				}
			}
		}
		tf := &templateFile{rel: "t.yaml", lines: strings.Split(string(data), "\n")}
		res, _ := loadRendered(tf, string(data))
		for _, r := range res {
			checkRanges(t, "rendered", r.Body)
		}
	})
}
