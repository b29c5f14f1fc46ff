// Package layertest builds tar layers for tests: entries of every type,
// written with a fixed modification time so the same entries always give
// the same bytes. It imports nothing of fixity, so pkg/image's own tests
// can use it too.
package layertest

import (
	"archive/tar"
	"bytes"
	"io"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Entry is one tar entry of a test layer.
type Entry struct {
	Name     string
	Type     byte // 0 means regular
	Mode     int64
	UID, GID int
	Body     string
	Link     string
}

// Dir is a directory with mode 0755.
func Dir(name string) Entry { return Entry{Name: name, Type: tar.TypeDir, Mode: 0o755} }

// File is a regular file with mode 0644.
func File(name, body string) Entry { return Entry{Name: name, Mode: 0o644, Body: body} }

// Exe is a regular file with mode 0755.
func Exe(name, body string) Entry { return Entry{Name: name, Mode: 0o755, Body: body} }

// Symlink is a symbolic link with mode 0777.
func Symlink(name, target string) Entry {
	return Entry{Name: name, Type: tar.TypeSymlink, Mode: 0o777, Link: target}
}

// Hardlink is a hard link with mode 0755.
func Hardlink(name, target string) Entry {
	return Entry{Name: name, Type: tar.TypeLink, Mode: 0o755, Link: target}
}

// Whiteout is an empty regular file; name carries the .wh. prefix.
func Whiteout(name string) Entry { return Entry{Name: name, Mode: 0o644} }

// WithMode returns e with the given mode.
func WithMode(e Entry, mode int64) Entry { e.Mode = mode; return e }

// WithOwner returns e owned by uid:gid.
func WithOwner(e Entry, uid, gid int) Entry { e.UID, e.GID = uid, gid; return e }

// Tar writes the entries as a PAX tar stream with a fixed modification
// time, so the same entries always give the same bytes.
func Tar(t testing.TB, es ...Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	mtime := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, e := range es {
		typ := e.Type
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.Name, Typeflag: typ, Mode: e.Mode, Uid: e.UID, Gid: e.GID, Linkname: e.Link, ModTime: mtime, Format: tar.FormatPAX}
		if typ == tar.TypeReg {
			h.Size = int64(len(e.Body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			if _, err := io.WriteString(tw, e.Body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Layer is an uncompressed layer holding the entries.
func Layer(t testing.TB, es ...Entry) v1.Layer {
	t.Helper()
	b := Tar(t, es...)
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
	if err != nil {
		t.Fatal(err)
	}
	return l
}
