package image

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"time"
)

// File is one entry of one layer, as Walk sees it.
type File struct {
	// Path is absolute and clean ("/etc/passwd"), whatever the tar spelled.
	Path string
	// Layer is the index of the layer holding the entry, 0 being the base.
	// A root filesystem is one layer, 0.
	Layer int
	// LayerDiffID is the digest of the uncompressed layer. It is the same
	// whether the image came from a registry, an archive or a layout (the
	// compressed digest is not), and costs nothing to learn.
	LayerDiffID string

	Type    byte // tar.TypeReg, tar.TypeDir, tar.TypeSymlink, tar.TypeLink, ...
	Mode    fs.FileMode
	UID     int
	GID     int
	Size    int64
	Link    string // symlink target as written; hard link target as a clean absolute path
	ModTime time.Time
	// Header is the raw tar header: xattrs (file capabilities), PAX records,
	// user and group names. Do not modify it.
	Header *tar.Header

	// Deleted: a later layer removed this path (a .wh. whiteout or an opaque
	// directory). The bytes are still in the image, which matters for secrets.
	Deleted bool
	// Replaced: a later layer wrote the same path, or turned a parent
	// directory into something else. The bytes are still in the image.
	Replaced bool

	// Content reads a regular file's bytes. It is valid only during the
	// callback; for other types it is empty.
	Content io.Reader
}

// Visible reports whether the entry is part of the final filesystem.
func (f File) Visible() bool { return !f.Deleted && !f.Replaced }

// Walk calls visit for every entry of every layer of img, streaming: nothing
// is extracted, content is read straight from the layer, memory is bounded by
// the number of paths, never by file or layer size.
//
// Layers are visited from the top (the last applied) down to the base. That
// is the order in which one pass can tell, for every entry, whether the final
// filesystem still shows it (Deleted, Replaced); File.Layer gives the layer
// order back. Within a layer, entries come in tar order. Whiteout markers
// themselves are not visited. Returning fs.SkipAll from visit stops the walk
// without error; any other error stops it and is returned.
//
// For a root filesystem directory, Walk visits the directory tree in lexical
// order as a single layer; nothing is Deleted or Replaced there. Paths the
// scanning user may not read do not stop it: a directory that cannot be
// listed is visited with nothing under it, an entry that cannot be examined
// is left out, and reading a file that cannot be opened fails with a
// *ReadError, which visit should take as "skip this file" (Walk reports
// it). Once everything else has been visited, Walk returns them all, each
// path once, in an *IncompleteError. Only a root that cannot be listed at
// all stops the walk.
func Walk(ctx context.Context, img *Image, visit func(f File) error) error {
	r, err := readerFor(img)
	if err != nil {
		return err
	}
	err = r.walk(ctx, visit)
	if err != nil && !errors.Is(err, fs.SkipAll) {
		return err
	}
	return r.unreadable()
}

// layerSource is one layer that can be opened, possibly several times.
type layerSource struct {
	index  int
	diffID string
	open   func() (io.ReadCloser, error)
}

// source abstracts over layered images and root filesystem directories.
type source interface {
	walk(ctx context.Context, visit func(File) error) error
	// fetch reads the regular files at paths as they are in one layer (a
	// second, narrow pass used to resolve links whose target was not
	// selected in the first pass).
	fetch(ctx context.Context, layer int, paths map[string]bool, got func(p string, r io.Reader) error) error
	// unreadable is the *IncompleteError for the paths that walk and fetch
	// could not read, or nil.
	unreadable() error
}

func readerFor(img *Image) (source, error) {
	switch {
	case img == nil:
		return nil, errors.New("image: nil image")
	case img.V1 != nil:
		ls, err := img.V1.Layers()
		if err != nil {
			return nil, fmt.Errorf("%s: listing layers: %w", img, err)
		}
		layers := make([]layerSource, len(ls))
		for i, l := range ls {
			d, err := l.DiffID()
			if err != nil {
				return nil, fmt.Errorf("%s: layer %d: %w", img, i, err)
			}
			layers[i] = layerSource{index: i, diffID: d.String(), open: l.Uncompressed}
		}
		return &layered{name: img.String(), layers: layers}, nil
	case img.fsys != nil:
		return &rootDir{name: img.Ref, fsys: img.fsys}, nil
	case img.Root != "":
		return &rootDir{name: img.Root, fsys: os.DirFS(img.Root)}, nil
	default:
		return nil, fmt.Errorf("%s: image has neither layers nor a root directory", img)
	}
}

// layered walks the tar layers of an image.
type layered struct {
	name   string
	layers []layerSource
}

// A layer that cannot be read stops the walk: nothing is left unread.
func (w *layered) unreadable() error { return nil }

// Hiding flags a later layer sets on a path for the layers below it.
const (
	hideSelf     = 1 << iota // whiteout: the path and everything under it is deleted
	hideChildren             // opaque directory: everything under it is deleted
	replChildren             // the path became a non-directory: everything under it is replaced
)

// shadow is what the layers above the current one did to the tree.
type shadow struct {
	hidden map[string]uint8
	seen   map[string]struct{}
}

func (s *shadow) state(p string) (deleted, replaced bool) {
	if s.hidden[p]&hideSelf != 0 {
		return true, false
	}
	for a := path.Dir(p); ; a = path.Dir(a) {
		h := s.hidden[a]
		if h&(hideSelf|hideChildren) != 0 {
			return true, false
		}
		if h&replChildren != 0 {
			replaced = true
		}
		if a == "/" {
			break
		}
	}
	if _, ok := s.seen[p]; ok {
		replaced = true
	}
	return false, replaced
}

type pendingMark struct {
	path  string
	flags uint8
	seen  bool
}

func (w *layered) walk(ctx context.Context, visit func(File) error) error {
	sh := &shadow{hidden: map[string]uint8{}, seen: map[string]struct{}{}}
	for i := len(w.layers) - 1; i >= 0; i-- {
		// The base layer has nothing below it: no need to remember its paths.
		record := i > 0
		if err := w.walkLayer(ctx, w.layers[i], sh, record, visit); err != nil {
			return err
		}
	}
	return nil
}

func (w *layered) walkLayer(ctx context.Context, l layerSource, sh *shadow, record bool, visit func(File) error) error {
	rc, err := l.open()
	if err != nil {
		return fmt.Errorf("%s: layer %d (%s): %w", w.name, l.index, l.diffID, err)
	}
	defer rc.Close()
	var pending []pendingMark
	err = walkTar(ctx, rc, func(f File, whiteout string, opaque bool) error {
		switch {
		case opaque:
			if record {
				pending = append(pending, pendingMark{path: f.Path, flags: hideChildren})
			}
			return nil
		case whiteout != "":
			if record {
				pending = append(pending, pendingMark{path: whiteout, flags: hideSelf})
			}
			return nil
		}
		f.Layer, f.LayerDiffID = l.index, l.diffID
		if sh != nil {
			f.Deleted, f.Replaced = sh.state(f.Path)
		}
		if record {
			m := pendingMark{path: f.Path, seen: true}
			if f.Type != tar.TypeDir {
				m.flags = replChildren
			}
			pending = append(pending, m)
		}
		return visit(f)
	})
	if err != nil {
		if errors.Is(err, fs.SkipAll) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return fmt.Errorf("%s: layer %d (%s): %w", w.name, l.index, l.diffID, err)
	}
	// Marks apply to the layers below only: an opaque directory does not
	// hide the files its own layer puts in it.
	for _, m := range pending {
		if m.flags != 0 {
			sh.hidden[m.path] |= m.flags
		}
		if m.seen {
			sh.seen[m.path] = struct{}{}
		}
	}
	return nil
}

func (w *layered) fetch(ctx context.Context, layer int, paths map[string]bool, got func(string, io.Reader) error) error {
	if layer < 0 || layer >= len(w.layers) {
		return fmt.Errorf("%s: no layer %d", w.name, layer)
	}
	l := w.layers[layer]
	rc, err := l.open()
	if err != nil {
		return fmt.Errorf("%s: layer %d (%s): %w", w.name, l.index, l.diffID, err)
	}
	defer rc.Close()
	err = walkTar(ctx, rc, func(f File, whiteout string, opaque bool) error {
		if whiteout == "" && !opaque && f.Type == tar.TypeReg && paths[f.Path] {
			return got(f.Path, f.Content)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: layer %d (%s): %w", w.name, l.index, l.diffID, err)
	}
	return nil
}

const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
)

// cleanPath makes a tar name absolute and clean; "../" cannot climb above
// the root.
func cleanPath(name string) string { return path.Clean("/" + name) }

// walkTar reads one layer tar and calls fn for each entry. For a whiteout
// marker fn gets the deleted path in whiteout; for an opaque marker, opaque
// is true and f.Path is the opaque directory.
func walkTar(ctx context.Context, r io.Reader, fn func(f File, whiteout string, opaque bool) error) error {
	tr := tar.NewReader(r)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading tar: %w", err)
		}
		p := cleanPath(h.Name)
		if p == "/" {
			continue
		}
		dir, base := path.Split(p)
		dir = path.Clean(dir)
		if base == opaqueMarker {
			if err := fn(File{Path: dir}, "", true); err != nil {
				return err
			}
			continue
		}
		if strings.HasPrefix(base, whiteoutPrefix) {
			if target := base[len(whiteoutPrefix):]; target != "" && target != "." && target != ".." {
				if err := fn(File{Path: p}, path.Join(dir, target), false); err != nil {
					return err
				}
			}
			continue
		}
		f := fileFromHeader(p, h)
		if f.Type == tar.TypeReg {
			// A sparse entry can claim terabytes of zeros: let cancellation
			// stop a reader caught in one.
			f.Content = ctxReader{ctx: ctx, r: tr}
		} else {
			f.Content = strings.NewReader("")
		}
		if err := fn(f, "", false); err != nil {
			return err
		}
	}
}

func fileFromHeader(p string, h *tar.Header) File {
	typ := h.Typeflag
	if typ == tar.TypeRegA { //nolint:staticcheck // old archives still use it
		typ = tar.TypeReg
	}
	f := File{
		Path:    p,
		Type:    typ,
		Mode:    h.FileInfo().Mode(),
		UID:     h.Uid,
		GID:     h.Gid,
		Size:    h.Size,
		Link:    h.Linkname,
		ModTime: h.ModTime,
		Header:  h,
	}
	if typ == tar.TypeLink {
		f.Link = cleanPath(h.Linkname)
	}
	if typ != tar.TypeReg {
		f.Size = 0
		if typ == tar.TypeSymlink {
			f.Size = int64(len(h.Linkname))
		}
	}
	return f
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
