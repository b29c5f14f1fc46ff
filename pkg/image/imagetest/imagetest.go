// Package imagetest builds container images for tests: tar layers from a
// list of entries, and images from layers and a configuration, read back
// through an OCI layout the way fixity reads any image.
package imagetest

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/image"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Ref is the reference every image built by Image carries.
const Ref = "registry.example.com/app:1.0"

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

// Image writes a linux/amd64 image of the layers with the given
// configuration and creation time as an OCI layout, and reads it back the
// way fixity reads any image. The result carries Ref.
func Image(t testing.TB, cfg v1.Config, created time.Time, layers ...v1.Layer) *image.Image {
	t.Helper()
	img, err := mutate.AppendLayers(empty.Image, layers...)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: created}
	cf.Config = cfg
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	out, err := image.FromOCILayout(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	out.Ref = Ref
	return out
}
