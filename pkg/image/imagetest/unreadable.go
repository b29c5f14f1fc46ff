package imagetest

import (
	"context"
	"io/fs"
	"os"
	"path"
	"testing"

	"github.com/fixity-sec/fixity/pkg/image"
)

// Unreadable reads the root filesystem directory dir as a user who may not
// read the paths in deny ("/root", "/etc/shadow"): listing such a directory
// or opening such a file fails with fs.ErrPermission, as it does for anyone
// but root on a real system; examining them (stat, lstat) still works, as
// it does there. Unlike chmod, it holds whoever runs the test, root included.
// The image carries dir as its Ref.
func Unreadable(t testing.TB, dir string, deny ...string) *image.Image {
	t.Helper()
	d := denyFS{FS: os.DirFS(dir).(dirFS), Deny: map[string]bool{}}
	for _, p := range deny {
		d.Deny[path.Clean("/"+p)] = true
	}
	img, err := image.FromFS(context.Background(), dir, d)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// dirFS is what os.DirFS gives: a filesystem that lists directories and
// reads symlinks.
type dirFS interface {
	fs.ReadDirFS
	fs.StatFS
	fs.ReadLinkFS
}

// denyFS is FS with the paths in Deny (absolute, clean) unreadable.
type denyFS struct {
	FS   dirFS
	Deny map[string]bool
}

func (d denyFS) denied(op, name string) error {
	if d.Deny[path.Clean("/"+name)] {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrPermission}
	}
	return nil
}

func (d denyFS) Open(name string) (fs.File, error) {
	if err := d.denied("open", name); err != nil {
		return nil, err
	}
	return d.FS.Open(name)
}

func (d denyFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := d.denied("open", name); err != nil {
		return nil, err
	}
	return d.FS.ReadDir(name)
}

func (d denyFS) Stat(name string) (fs.FileInfo, error) { return d.FS.Stat(name) }

func (d denyFS) ReadLink(name string) (string, error) { return d.FS.ReadLink(name) }

func (d denyFS) Lstat(name string) (fs.FileInfo, error) { return d.FS.Lstat(name) }
