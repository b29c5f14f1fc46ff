package image

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/sync/errgroup"
)

// spool keeps each compressed layer of a registry image in a temporary file
// after its first download. A scan reads an image several times (packages,
// hardening, baseline, and narrow second passes for links); without it each
// pass would pull every layer again. Only compressed bytes are kept, so the
// disk used is the image's transfer size, never its extracted size.
type spool struct {
	mu    sync.Mutex
	dir   string // created on the first download
	blobs map[v1.Hash]*spooledBlob
}

// spooledBlob is one layer's file. Its mutex makes concurrent readers of
// the layer wait for one download; a download that failed (a network
// hiccup, a cancelled pull) leaves done false, so the next reader tries
// again instead of inheriting the failure.
type spooledBlob struct {
	mu   sync.Mutex
	path string
	done bool
}

func newSpool() *spool { return &spool{blobs: map[v1.Hash]*spooledBlob{}} }

// image wraps img so that its layers are read through the spool.
func (s *spool) image(img v1.Image) v1.Image { return &spooledImage{Image: img, spool: s} }

// fetch downloads l unless it is spooled already and returns the file that
// holds its compressed bytes. The registry's reader checks the digest as
// the last byte arrives, so a file that is kept is the blob the manifest
// names. read is told about each chunk of a download that happens in this
// call; ctx stops it between chunks.
func (s *spool) fetch(ctx context.Context, l v1.Layer, read func(n int64)) (string, error) {
	d, err := l.Digest()
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	if s.dir == "" {
		if s.dir, err = os.MkdirTemp("", "fixity-layers-"); err != nil {
			s.mu.Unlock()
			return "", fmt.Errorf("layer cache: %w", err)
		}
	}
	b := s.blobs[d]
	if b == nil {
		b = &spooledBlob{path: filepath.Join(s.dir, d.Algorithm+"-"+d.Hex)}
		s.blobs[d] = b
	}
	s.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.done {
		if err := download(ctx, l, d, b.path, read); err != nil {
			return "", err
		}
		b.done = true
	}
	return b.path, nil
}

// spooled reports whether the layer with digest d is on disk already.
func (s *spool) spooled(d v1.Hash) bool {
	s.mu.Lock()
	b := s.blobs[d]
	s.mu.Unlock()
	if b == nil {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.done
}

func download(ctx context.Context, l v1.Layer, d v1.Hash, path string, read func(n int64)) error {
	rc, err := l.Compressed()
	if err != nil {
		return fmt.Errorf("layer %s: %w", d, err)
	}
	defer rc.Close()
	part := path + ".part"
	f, err := os.Create(part)
	if err != nil {
		return fmt.Errorf("layer cache: %w", err)
	}
	var src io.Reader = ctxReader{ctx: ctx, r: rc}
	if read != nil {
		src = &countingReader{r: src, read: read}
	}
	_, err = io.Copy(f, src)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("layer cache: %w", cerr)
	}
	if err == nil {
		if err = os.Rename(part, path); err != nil {
			err = fmt.Errorf("layer cache: %w", err)
		}
	}
	if err != nil {
		os.Remove(part)
		return fmt.Errorf("layer %s: %w", d, err)
	}
	return nil
}

// close removes the spooled files.
func (s *spool) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		return nil
	}
	err := os.RemoveAll(s.dir)
	s.dir, s.blobs = "", map[v1.Hash]*spooledBlob{}
	return err
}

type countingReader struct {
	r    io.Reader
	read func(n int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.read(int64(n))
	}
	return n, err
}

// spooledImage is a v1.Image whose layers come through a spool.
type spooledImage struct {
	v1.Image
	spool *spool
}

func (i *spooledImage) Layers() ([]v1.Layer, error) {
	ls, err := i.Image.Layers()
	if err != nil {
		return nil, err
	}
	out := make([]v1.Layer, len(ls))
	for n, l := range ls {
		out[n] = i.layer(l)
	}
	return out, nil
}

func (i *spooledImage) LayerByDigest(h v1.Hash) (v1.Layer, error) {
	l, err := i.Image.LayerByDigest(h)
	if err != nil {
		return nil, err
	}
	return i.layer(l), nil
}

func (i *spooledImage) LayerByDiffID(h v1.Hash) (v1.Layer, error) {
	l, err := i.Image.LayerByDiffID(h)
	if err != nil {
		return nil, err
	}
	return i.layer(l), nil
}

func (i *spooledImage) layer(l v1.Layer) v1.Layer {
	return &spooledLayer{Layer: l, spool: i.spool}
}

// spooledLayer serves a layer from the spool. Digest, diff ID, size and
// media type still come from the manifest and config.
type spooledLayer struct {
	v1.Layer
	spool *spool
}

func (l *spooledLayer) Compressed() (io.ReadCloser, error) {
	// Compressed has no context; the registry requests carry the one
	// the image was opened with.
	path, err := l.spool.fetch(context.Background(), l.Layer, nil)
	if err != nil {
		return nil, err
	}
	return os.Open(path)
}

// Uncompressed decompresses the spooled bytes as their magic number says
// (gzip, zstd, or a tar that was never compressed). Every pass of a scan
// decompresses the layer again, so this uses klauspost/compress, which
// inflates gzip markedly faster than the standard library.
func (l *spooledLayer) Uncompressed() (io.ReadCloser, error) {
	rc, err := l.Compressed()
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(rc, 1<<16)
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			rc.Close()
			return nil, err
		}
		return &readCloser{Reader: zr, close: func() error { zr.Close(); return rc.Close() }}, nil
	case bytes.Equal(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			rc.Close()
			return nil, err
		}
		return &readCloser{Reader: zr, close: func() error { zr.Close(); return rc.Close() }}, nil
	default:
		return &readCloser{Reader: br, close: rc.Close}, nil
	}
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r *readCloser) Close() error { return r.close() }

// Pull downloads every layer of a registry image that has not been read
// yet, a few at a time, and reports the bytes received against the image's
// total transfer size. Later reads of the image use the downloaded copies.
// For images from other sources, whose bytes are already local, it does
// nothing.
func (i *Image) Pull(ctx context.Context, progress func(read, total int64)) error {
	if i.spool == nil {
		return nil
	}
	sp, ok := i.V1.(*spooledImage)
	if !ok {
		return nil
	}
	all, err := sp.Image.Layers()
	if err != nil {
		return fmt.Errorf("%s: listing layers: %w", i, err)
	}
	// What is left to download: each blob once (an image may list one
	// layer twice), none that an earlier read spooled already.
	var ls []v1.Layer
	var total int64
	seen := map[v1.Hash]bool{}
	for _, l := range all {
		d, err := l.Digest()
		if err != nil {
			return fmt.Errorf("%s: %w", i, err)
		}
		if seen[d] || i.spool.spooled(d) {
			continue
		}
		seen[d] = true
		n, err := l.Size()
		if err != nil {
			return fmt.Errorf("%s: %w", i, err)
		}
		ls = append(ls, l)
		total += n
	}
	// Layers download side by side; progress hears one call at a time,
	// with a count that only grows.
	var mu sync.Mutex
	var got int64
	read := func(n int64) {
		if progress != nil {
			mu.Lock()
			got += n
			progress(got, total)
			mu.Unlock()
		}
	}
	if progress != nil {
		progress(0, total)
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(3)
	for _, l := range ls {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if _, err := i.spool.fetch(ctx, l, read); err != nil {
				return fmt.Errorf("%s: %w", i, err)
			}
			return nil
		})
	}
	return g.Wait()
}

// Close releases what reading the image left on disk: the downloaded layers
// of a registry image. Reading the image after Close downloads them again.
func (i *Image) Close() error {
	if i.spool == nil {
		return nil
	}
	return i.spool.close()
}
