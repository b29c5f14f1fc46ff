package image

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// FromRootFS describes a plain root filesystem directory (a mounted VM disk,
// a Packer build's chroot). It has no layers and no config; Walk and Squash
// read the directory itself.
func FromRootFS(ctx context.Context, dir string, opts ...Option) (*Image, error) {
	if _, err := makeOptions(opts); err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceRootFS, dir, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceRootFS, dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s %s: not a directory", SourceRootFS, dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceRootFS, dir, err)
	}
	return &Image{Source: SourceRootFS, Ref: dir, Root: abs}, nil
}

// FromFS describes a root filesystem read through fsys rather than from a
// directory of the host: a tree held in memory, an archive opened as an
// fs.FS, or, in tests, a directory that fails to read where the test says.
// name stands for it in Image.Ref and in messages. Symlinks are read with
// fs.ReadLink, so fsys should implement fs.ReadLinkFS (os.DirFS does); two
// names of one file are a hard link only when fsys's FileInfo.Sys is a
// *syscall.Stat_t, as os.DirFS's is.
func FromFS(ctx context.Context, name string, fsys fs.FS, opts ...Option) (*Image, error) {
	if _, err := makeOptions(opts); err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceRootFS, name, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fi, err := fs.Stat(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceRootFS, name, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s %s: not a directory", SourceRootFS, name)
	}
	return &Image{Source: SourceRootFS, Ref: name, fsys: fsys}, nil
}

// rootDir walks a directory as a single layer.
//
// What the scanning user may not read does not stop it (see ReadError): a
// directory that cannot be listed is visited, but nothing under it is; an
// entry that cannot be examined is not visited; a file that cannot be
// opened fails its reader. Each is collected in unread, once per path,
// whichever pass met it. Only the root itself is fatal: then nothing at all
// could be read.
type rootDir struct {
	name   string // for messages
	fsys   fs.FS
	unread unreadable
}

func (d *rootDir) unreadable() error { return d.unread.err() }

func (d *rootDir) walk(ctx context.Context, visit func(File) error) error {
	links := map[inode]string{}
	return fs.WalkDir(d.fsys, ".", func(rel string, de fs.DirEntry, err error) error {
		if err != nil {
			if rel == "." {
				return fmt.Errorf("%s %s: %w", SourceRootFS, d.name, err)
			}
			// The directory itself was visited; its listing failed.
			d.unread.add(newReadError("/"+rel, true, err))
			return fs.SkipDir
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		p := "/" + rel
		fi, err := de.Info()
		if err != nil {
			d.unread.add(newReadError(p, de.IsDir(), err))
			if de.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		var target string
		if fi.Mode()&fs.ModeSymlink != 0 {
			if target, err = fs.ReadLink(d.fsys, rel); err != nil {
				d.unread.add(newReadError(p, false, err))
				return nil
			}
		}
		h, err := tar.FileInfoHeader(fi, target)
		if err != nil {
			// Sockets and other types tar cannot hold: not part of an image.
			return nil
		}
		// tar fills the names from the host's user database, which says
		// nothing about the image's users.
		h.Uname, h.Gname = "", ""
		// A second name for an inode already seen is a hard link, as tar
		// would record it.
		if fi.Mode().IsRegular() {
			if ino, ok := inodeOf(fi); ok {
				if first, seen := links[ino]; seen {
					h.Typeflag, h.Linkname, h.Size = tar.TypeLink, first, 0
				} else {
					links[ino] = p
				}
			}
		}
		f := fileFromHeader(p, h)
		f.Content = strings.NewReader("")
		if f.Type != tar.TypeReg {
			return visit(f)
		}
		lf := d.lazy(p)
		defer lf.Close()
		f.Content = lf
		return visit(f)
	})
}

func (d *rootDir) fetch(ctx context.Context, _ int, paths map[string]bool, got func(string, io.Reader) error) error {
	for p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		p = path.Clean("/" + p)
		fi, err := fs.Lstat(d.fsys, p[1:])
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		lf := d.lazy(p)
		err = got(p, lf)
		lf.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// lazy is the reader of the regular file at p.
func (d *rootDir) lazy(p string) *lazyFile {
	return &lazyFile{fsys: d.fsys, path: p, unread: &d.unread}
}

// lazyFile opens on first read, so that walking a tree the caller does not
// read costs no open. A file that cannot be opened or read fails only its
// reader, with a *ReadError, and is collected in unread: every pass that
// reads it learns, and none has to report it itself.
type lazyFile struct {
	fsys   fs.FS
	path   string // in the image; the name in fsys is without the leading /
	unread *unreadable
	f      fs.File
	err    error
}

func (l *lazyFile) Read(p []byte) (int, error) {
	if l.f == nil && l.err == nil {
		f, err := l.fsys.Open(l.path[1:])
		if err != nil {
			return 0, l.fail(err)
		}
		l.f = f
	}
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.f.Read(p)
	if err != nil && err != io.EOF {
		return n, l.fail(err)
	}
	return n, err
}

func (l *lazyFile) fail(err error) error {
	re := newReadError(l.path, false, err)
	l.unread.add(re)
	l.err = re
	return re
}

func (l *lazyFile) Close() error {
	if l.f != nil {
		return l.f.Close()
	}
	return nil
}
