package image

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// Entry is one path of the final (squashed) filesystem.
type Entry struct {
	Path    string
	Type    byte // tar type flag
	Mode    fs.FileMode
	UID     int
	GID     int
	Size    int64
	Link    string // symlink target as written; hard link target as an absolute path
	ModTime time.Time
	Layer   int // index of the layer that last wrote the path
	// Implicit: no layer had an entry for this directory, only for paths
	// under it; it is shown as a container runtime would create it
	// (root-owned, 0755).
	Implicit bool
}

// FS is the final filesystem of an image: an index of every path, plus the
// contents of the few files selected with WithContent.
type FS struct {
	entries map[string]*Entry
	content map[string][]byte
	// errs holds why a selected file has no content (too large, unreadable).
	errs map[string]error
}

// SquashOption configures Squash.
type SquashOption func(*squashOptions)

type squashOptions struct {
	want    func(path string, h *tar.Header) bool
	maxSize int64
}

// DefaultMaxContentSize bounds one selected file held in memory.
const DefaultMaxContentSize = 64 << 20

// WithContent selects, by path and header, the files whose contents Squash
// keeps (package databases, os-release, ...). Only files of the final
// filesystem are kept. A selected symlink or hard link brings its target's
// content, read in a second pass over that one layer if need be.
func WithContent(want func(path string, h *tar.Header) bool) SquashOption {
	return func(o *squashOptions) { o.want = want }
}

// WithMaxContentSize bounds the size of each selected file; larger files are
// indexed but ReadFile returns an error for them.
func WithMaxContentSize(n int64) SquashOption {
	return func(o *squashOptions) { o.maxSize = n }
}

// ErrNoContent is returned by ReadFile for a file that exists but whose
// content was not selected.
var ErrNoContent = errors.New("content not selected")

// Squash reads img in one streaming pass and returns its final filesystem.
//
// For a root filesystem directory with paths the scanning user may not
// read, Squash returns the filesystem it could read together with an
// *IncompleteError listing them, each path once: a directory that could not
// be listed has no entries under it, and ReadFile of a selected file that
// could not be read returns its *ReadError.
func Squash(ctx context.Context, img *Image, opts ...SquashOption) (*FS, error) {
	o := squashOptions{maxSize: DefaultMaxContentSize}
	for _, opt := range opts {
		opt(&o)
	}
	src, err := readerFor(img)
	if err != nil {
		return nil, err
	}
	return squash(ctx, src, o)
}

func squash(ctx context.Context, src source, o squashOptions) (*FS, error) {
	out := &FS{entries: map[string]*Entry{}, content: map[string][]byte{}, errs: map[string]error{}}
	var links []string // selected symlinks and hard links
	err := src.walk(ctx, func(f File) error {
		if !f.Visible() {
			return nil
		}
		// Within one layer a later tar entry for the same path wins; across
		// layers the top one (seen first) is the only visible one.
		out.entries[f.Path] = &Entry{
			Path: f.Path, Type: f.Type, Mode: f.Mode, UID: f.UID, GID: f.GID,
			Size: f.Size, Link: f.Link, ModTime: f.ModTime, Layer: f.Layer,
		}
		delete(out.content, f.Path)
		delete(out.errs, f.Path)
		if o.want == nil || !o.want(f.Path, f.Header) {
			return nil
		}
		switch f.Type {
		case tar.TypeReg:
			out.keep(f.Path, f.Content, f.Size, o.maxSize)
		case tar.TypeSymlink, tar.TypeLink:
			links = append(links, f.Path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.addParents()
	if err := out.fetchLinks(ctx, src, links, o.maxSize); err != nil {
		return nil, err
	}
	return out, src.unreadable()
}

// addParents adds the directories some layers leave out of their tars. An
// implicit directory is credited to the lowest layer that needed it.
func (s *FS) addParents() {
	for p, e := range s.entries {
		layer := e.Layer
		for d := path.Dir(p); d != "/"; d = path.Dir(d) {
			if pe, ok := s.entries[d]; ok {
				if !pe.Implicit {
					break
				}
				pe.Layer = min(pe.Layer, layer)
				continue
			}
			s.entries[d] = &Entry{Path: d, Type: tar.TypeDir, Mode: fs.ModeDir | 0o755, Layer: layer, Implicit: true}
		}
	}
}

// keep stores a selected file's content, within the size bound.
func (s *FS) keep(p string, r io.Reader, size, max int64) {
	if size > max {
		s.errs[p] = fmt.Errorf("%s: %d bytes, over the %d byte limit", p, size, max)
		return
	}
	var buf bytes.Buffer
	// The header's size is a hint, not a promise: grow by it only so far.
	buf.Grow(int(min(size, 1<<20)))
	if _, err := io.Copy(&buf, io.LimitReader(r, max+1)); err != nil {
		// A ReadError names its path already.
		var re *ReadError
		if !errors.As(err, &re) {
			err = fmt.Errorf("%s: %w", p, err)
		}
		s.errs[p] = err
		return
	}
	if int64(buf.Len()) > max {
		s.errs[p] = fmt.Errorf("%s: over the %d byte limit", p, max)
		return
	}
	s.content[p] = buf.Bytes()
}

// fetchLinks reads, in a second pass over only the layers concerned, the
// targets of selected links whose content the first pass did not keep.
func (s *FS) fetchLinks(ctx context.Context, src source, links []string, max int64) error {
	// layer -> path in that layer -> keys to store its content under
	need := map[int]map[string][]string{}
	add := func(layer int, from, key string) {
		if need[layer] == nil {
			need[layer] = map[string][]string{}
		}
		need[layer][from] = append(need[layer][from], key)
	}
	for _, l := range links {
		key, err := s.resolve(l)
		if err != nil {
			s.errs[l] = err
			continue
		}
		e := s.entries[key]
		if e == nil {
			continue // dangling: ReadFile says not exist
		}
		if _, ok := s.content[key]; ok {
			continue
		}
		switch e.Type {
		case tar.TypeReg:
			add(e.Layer, key, key)
		case tar.TypeLink:
			// A hard link's bytes are its target's in the same layer.
			add(e.Layer, e.Link, key)
		}
	}
	layers := make([]int, 0, len(need))
	for l := range need {
		layers = append(layers, l)
	}
	sort.Ints(layers)
	for _, l := range layers {
		paths := map[string]bool{}
		for p := range need[l] {
			paths[p] = true
		}
		err := src.fetch(ctx, l, paths, func(p string, r io.Reader) error {
			keys := need[l][p]
			s.keep(keys[0], r, 0, max)
			for _, k := range keys[1:] {
				if c, ok := s.content[keys[0]]; ok {
					s.content[k] = c
				} else {
					s.errs[k] = s.errs[keys[0]]
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// maxSymlinks bounds symlink resolution, as the kernel does.
const maxSymlinks = 40

// resolve follows symlinks in every component of p within the image root.
// A hard link is not followed: it is a file of its own.
func (s *FS) resolve(p string) (string, error) {
	parts := splitPath(cleanPath(p))
	cur, hops := "/", 0
	for i := 0; i < len(parts); i++ {
		next := path.Join(cur, parts[i])
		e := s.entries[next]
		if e == nil || e.Type != tar.TypeSymlink {
			cur = next
			continue
		}
		if hops++; hops > maxSymlinks {
			return "", fmt.Errorf("%s: too many levels of symbolic links", p)
		}
		base := cur
		if strings.HasPrefix(e.Link, "/") {
			base = "/"
		}
		rest := append([]string{path.Join(base, e.Link)}, parts[i+1:]...)
		parts, cur, i = splitPath(path.Join(rest...)), "/", -1
	}
	return cur, nil
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// normalize accepts "etc/passwd", "/etc/passwd" and "./etc/passwd".
func normalize(p string) string { return cleanPath(p) }

// Len is the number of paths in the filesystem.
func (s *FS) Len() int { return len(s.entries) }

// Stat returns the entry at p, without following a final symlink.
func (s *FS) Stat(p string) (Entry, bool) {
	e, ok := s.entries[normalize(p)]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// Entries returns every entry, sorted by path.
func (s *FS) Entries() []Entry {
	out := make([]Entry, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// ReadFile returns the content of a selected file, following symlinks. It
// returns an error wrapping fs.ErrNotExist when the path is not in the
// image, and ErrNoContent when it is but was not selected.
func (s *FS) ReadFile(p string) ([]byte, error) {
	p = normalize(p)
	if err, ok := s.errs[p]; ok {
		return nil, err
	}
	if c, ok := s.content[p]; ok {
		return c, nil
	}
	r, err := s.resolve(p)
	if err != nil {
		return nil, err
	}
	if err, ok := s.errs[r]; ok {
		return nil, err
	}
	if c, ok := s.content[r]; ok {
		return c, nil
	}
	e, ok := s.entries[r]
	switch {
	case !ok:
		return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	case e.Type == tar.TypeDir:
		return nil, fmt.Errorf("%s: is a directory", p)
	case e.Type == tar.TypeReg && e.Size == 0:
		return []byte{}, nil
	default:
		return nil, fmt.Errorf("%s: %w", p, ErrNoContent)
	}
}

// Open is ReadFile as a reader.
func (s *FS) Open(p string) (io.ReadCloser, error) {
	b, err := s.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}
