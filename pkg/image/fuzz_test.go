package image

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"testing"
)

// FuzzWalk feeds arbitrary bytes as the top layer over a fixed base layer:
// Walk and Squash must return an error or a tree, never panic or hang.
func FuzzWalk(f *testing.F) {
	base := tarBytes(f,
		dir("etc/"), file("etc/passwd", "root"), symlink("etc/os-release", "../usr/lib/os-release"),
		dir("usr/"), dir("usr/lib/"), file("usr/lib/os-release", "ID=x"),
		dir("opt/"), file("opt/a", "a"), hardlink("opt/b", "opt/a"))
	f.Add(tarBytes(f, whiteout("etc/.wh.passwd"), whiteout("opt/.wh..wh..opq"), file("opt/c", "c")))
	f.Add(tarBytes(f, symlink("usr", "/"), hardlink("x", "../../etc/passwd"), file("../../escape", "e")))
	f.Add(tarBytes(f, whiteout(".wh..wh..opq"), file("etc/passwd", "new"), file("etc/passwd", "newer")))
	f.Add(tarBytes(f, symlink("etc/os-release", "os-release"), symlink("a", "b"), symlink("b", "a")))
	f.Add(tarBytes(f, file("big", "x"))[:600])
	f.Add([]byte("not a tar"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, top []byte) {
		src := &layered{name: "fuzz", layers: []layerSource{
			{index: 0, diffID: "sha256:base", open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(base)), nil }},
			{index: 1, diffID: "sha256:top", open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(top)), nil }},
		}}
		ctx := context.Background()
		_ = src.walk(ctx, func(f File) error {
			_, err := io.Copy(io.Discard, f.Content)
			if f.Path == "" || f.Path[0] != '/' {
				t.Fatalf("path %q not absolute", f.Path)
			}
			return err
		})
		s, err := squash(ctx, src, squashOptions{want: func(string, *tar.Header) bool { return true }, maxSize: 1 << 20})
		if err != nil {
			return
		}
		for _, e := range s.Entries() {
			_, _ = s.ReadFile(e.Path)
		}
	})
}
