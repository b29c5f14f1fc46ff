package osv

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fixity-sec/fixity/pkg/vuln/version"
)

// FuzzCheck feeds arbitrary records and versions through Parse and Check:
// neither may panic, whatever the input.
func FuzzCheck(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "Go", "example.com/mod", "1.0.0")
		f.Add(data, "Debian:12", "openssl", "3.0.9-1")
	}
	f.Fuzz(func(t *testing.T, data []byte, eco, pkg, ver string) {
		rec, err := Parse(data)
		if err != nil {
			return
		}
		Check(rec, version.Ecosystem(eco), pkg, ver)
	})
}
