package catalog

import (
	"context"
	"encoding/binary"
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

// The Berkeley DB and NDB readers go through go-rpmdb, whose own parsing
// trusts the file (see rpmdb.go). The seeds are small databases of made-up
// and of real headers (the fixtures themselves are large enough that
// minimizing a new input grown from them takes the whole fuzzing time); the
// corpus under testdata/fuzz holds damaged databases that made go-rpmdb
// panic, hang, allocate 4 GiB or print before the checks.
func FuzzRPMBerkeleyDB(f *testing.F) {
	f.Add(writeBDB(f, binary.LittleEndian, 512, testRPMBlobs()...))
	f.Add(writeBDB(f, binary.BigEndian, 512, append(testRPMBlobs(), rpmHeaderBlob(bigRPM))...))
	f.Add(writeBDB(f, binary.LittleEndian, 1024, smallestSLE15Blobs(f, 1)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, _ := ReadRPMBerkeleyDB(context.Background(), "Packages", b, rocky)
		checkRPMs(t, ps)
	})
}

func FuzzRPMNDB(f *testing.F) {
	f.Add(writeNDB(f, testRPMBlobs()...))
	f.Add(writeNDB(f, append(testRPMBlobs(), rpmHeaderBlob(bigRPM))...))
	f.Add(writeNDB(f, smallestSLE15Blobs(f, 2)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, _ := ReadRPMNDB(context.Background(), "Packages.db", b, rocky)
		checkRPMs(t, ps)
	})
}

func checkRPMs(t *testing.T, ps []Package) {
	t.Helper()
	for _, p := range ps {
		if p.Name == "" || p.Name == "gpg-pubkey" || p.Type != TypeRPM || p.PURL == "" || len(p.Locations) != 1 {
			t.Fatalf("bad package %+v", p)
		}
	}
}
