package harden

import (
	"archive/tar"
	"io"
	"path"
	"strings"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// image.Walk says that a file was deleted or replaced by a later layer, not
// by which one; a message that tells the user where the credential went
// "away" needs the layer. Rather than reading the layers a second time,
// history sees the same decompressed bytes Walk reads (a tee into a second
// tar reader) and records each layer's whiteouts. Walk closes a layer before
// it opens the one below, and Close waits for the tee, so by the time a
// file of layer L is visited the whiteouts of every layer above are known.

const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
)

// marks are the deletions one layer makes in the layers below it.
type marks struct {
	whiteouts map[string]bool // paths deleted, with everything under them
	opaque    map[string]bool // directories whose lower contents are hidden
}

// history records what each layer deleted, and which layers wrote which
// paths (for replaced files).
type history struct {
	mu      sync.Mutex
	deleted map[int]marks
	// written is the lowest layer seen so far (Walk goes top-down) to have
	// an entry at a path, and whether that entry was a directory.
	written map[string]writer
}

type writer struct {
	layer int
	dir   bool
}

func newHistory() *history {
	return &history{deleted: map[int]marks{}, written: map[string]writer{}}
}

// wrap returns an image whose layers report their whiteouts to h as Walk
// reads them.
func (h *history) wrap(img v1.Image) v1.Image { return teeImage{Image: img, h: h} }

type teeImage struct {
	v1.Image
	h *history
}

func (t teeImage) Layers() ([]v1.Layer, error) {
	ls, err := t.Image.Layers()
	if err != nil {
		return nil, err
	}
	out := make([]v1.Layer, len(ls))
	for i, l := range ls {
		out[i] = teeLayer{Layer: l, index: i, h: t.h}
	}
	return out, nil
}

type teeLayer struct {
	v1.Layer
	index int
	h     *history
}

func (l teeLayer) Uncompressed() (io.ReadCloser, error) {
	rc, err := l.Layer.Uncompressed()
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		m := readMarks(pr)
		// Always read to the end: the tee blocks until its bytes are taken.
		_, _ = io.Copy(io.Discard, pr)
		l.h.mu.Lock()
		l.h.deleted[l.index] = m
		l.h.mu.Unlock()
	}()
	return &teeReader{r: io.TeeReader(rc, pw), rc: rc, pw: pw, done: done}, nil
}

type teeReader struct {
	r    io.Reader
	rc   io.ReadCloser
	pw   *io.PipeWriter
	done chan struct{}
}

func (t *teeReader) Read(p []byte) (int, error) { return t.r.Read(p) }

func (t *teeReader) Close() error {
	_ = t.pw.Close()
	<-t.done
	return t.rc.Close()
}

// readMarks collects the whiteouts of one layer tar. A damaged tar yields
// what was read before the damage; Walk reports the error itself.
func readMarks(r io.Reader) marks {
	m := marks{whiteouts: map[string]bool{}, opaque: map[string]bool{}}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err != nil {
			return m
		}
		p := path.Clean("/" + hdr.Name)
		dir, base := path.Split(p)
		dir = path.Clean(dir)
		switch {
		case base == opaqueMarker:
			m.opaque[dir] = true
		case strings.HasPrefix(base, whiteoutPrefix):
			if target := base[len(whiteoutPrefix):]; target != "" && target != "." && target != ".." {
				m.whiteouts[path.Join(dir, target)] = true
			}
		}
	}
}

// deletedBy returns the lowest layer above layer that deleted p, or -1.
func (h *history) deletedBy(p string, layer int) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	best := -1
	for l, m := range h.deleted {
		if l <= layer || (best >= 0 && l >= best) {
			continue
		}
		if m.whiteouts[p] {
			best = l
			continue
		}
		for a := path.Dir(p); ; a = path.Dir(a) {
			if m.whiteouts[a] || m.opaque[a] {
				best = l
				break
			}
			if a == "/" {
				break
			}
		}
	}
	return best
}

// saw records that layer has an entry at p. Call it after replacedBy.
func (h *history) saw(p string, layer int, dir bool) {
	h.written[p] = writer{layer: layer, dir: dir}
}

// replacedBy returns the lowest layer above layer that wrote p, or turned
// one of its parents into something other than a directory; -1 if none.
func (h *history) replacedBy(p string, layer int) int {
	best := -1
	if w, ok := h.written[p]; ok && w.layer > layer {
		best = w.layer
	}
	for a := path.Dir(p); a != "/"; a = path.Dir(a) {
		if w, ok := h.written[a]; ok && !w.dir && w.layer > layer && (best < 0 || w.layer < best) {
			best = w.layer
		}
	}
	return best
}
