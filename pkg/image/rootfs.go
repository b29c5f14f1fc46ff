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

// rootDir walks a directory as a single layer.
type rootDir struct{ root string }

func (d *rootDir) walk(ctx context.Context, visit func(File) error) error {
	links := map[inode]string{}
	return fs.WalkDir(os.DirFS(d.root), ".", func(rel string, de fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s %s: %w", SourceRootFS, d.root, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		fi, err := de.Info()
		if err != nil {
			return fmt.Errorf("%s %s: %s: %w", SourceRootFS, d.root, rel, err)
		}
		full := filepath.Join(d.root, filepath.FromSlash(rel))
		var target string
		if fi.Mode()&fs.ModeSymlink != 0 {
			if target, err = os.Readlink(full); err != nil {
				return fmt.Errorf("%s %s: %s: %w", SourceRootFS, d.root, rel, err)
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
		p := "/" + rel
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
		lf := &lazyFile{path: full}
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
		full := filepath.Join(d.root, filepath.FromSlash(path.Clean("/"+p)))
		fi, err := os.Lstat(full)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		lf := &lazyFile{path: full}
		err = got(p, lf)
		lf.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// lazyFile opens on first read, so that walking a tree the caller does not
// read costs no open, and an unreadable file fails only the reader.
type lazyFile struct {
	path string
	f    *os.File
	err  error
}

func (l *lazyFile) Read(p []byte) (int, error) {
	if l.f == nil && l.err == nil {
		l.f, l.err = os.Open(l.path)
	}
	if l.err != nil {
		return 0, l.err
	}
	return l.f.Read(p)
}

func (l *lazyFile) Close() error {
	if l.f != nil {
		return l.f.Close()
	}
	return nil
}
