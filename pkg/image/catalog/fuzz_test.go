package catalog

import (
	"os"
	"path/filepath"
	"testing"
)

func seed(f *testing.F, files ...string) {
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// The parsers read files an image author controls: any input must give
// packages and errors, never a panic, and every package must be complete.
func FuzzDpkg(f *testing.F) {
	seed(f, "dpkg/status", "dpkg/status.d/tzdata", "dpkg/status.d/libc6")
	f.Add([]byte("Package: a\nVersion: 1\nSource: b (\n\n \n:\nx:\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, _ := ParseDpkgStatus("status", b, debian12)
		for _, p := range ps {
			if p.Name == "" || p.Version == "" || p.SourceName == "" || p.SourceVersion == "" || p.PURL == "" {
				t.Fatalf("incomplete package %+v", p)
			}
		}
	})
}

func FuzzApk(f *testing.F) {
	seed(f, "apk/installed")
	f.Add([]byte("P:\nV:\n\no:x\nP"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, _ := ParseApkInstalled("installed", b, alpine320)
		for _, p := range ps {
			if p.Name == "" || p.Version == "" || p.SourceName == "" || p.PURL == "" {
				t.Fatalf("incomplete package %+v", p)
			}
		}
	})
}

func FuzzRPMHeader(f *testing.F) {
	f.Add(rpmHeaderBlob(testRPMs[0]))
	f.Add(rpmHeaderBlob(testRPMs[1]))
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 3, 232, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 'b', 'c', 'd'})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseRPMHeader(b)
	})
}
