package image

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/compression"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// blobCounter counts the layer downloads a registry serves.
type blobCounter struct {
	mu    sync.Mutex
	gets  map[string]int
	inner http.Handler
}

func (c *blobCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/") {
		c.mu.Lock()
		c.gets[r.URL.Path]++
		c.mu.Unlock()
	}
	c.inner.ServeHTTP(w, r)
}

// TestRegistryLayersAreFetchedOnce reads a registry image the way a scan
// does — several passes — and expects every layer to cross the network
// once, then nothing left on disk after Close.
func TestRegistryLayersAreFetchedOnce(t *testing.T) {
	ctx := context.Background()
	host, srv := newRegistry(t)
	ref := host + "/golden/app:v1"
	img := goldenImage(t, "amd64")
	if err := remote.Write(mustRef(t, ref), img); err != nil {
		t.Fatal(err)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, l := range layers {
		n, _ := l.Size()
		want += n
	}
	counter := &blobCounter{gets: map[string]int{}, inner: srv.Config.Handler}
	counted := httptest.NewServer(counter)
	defer counted.Close()
	ref = strings.TrimPrefix(counted.URL, "http://") + "/golden/app:v1"

	im, err := FromRegistry(ctx, ref, WithTransport(counted.Client().Transport), WithKeychain(authn.NewMultiKeychain()))
	if err != nil {
		t.Fatal(err)
	}
	var last, total int64
	if err := im.Pull(ctx, func(read, size int64) { last, total = read, size }); err != nil {
		t.Fatal(err)
	}
	if last != want || total != want {
		t.Errorf("pull progress ended at %d of %d, want %d of %d", last, total, want, want)
	}
	for pass := 0; pass < 3; pass++ {
		s, err := Squash(ctx, im, WithContent(selected))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.ReadFile("/usr/sbin/su2"); err != nil || string(got) != "ELF-su" {
			t.Fatalf("pass %d: ReadFile = %q, %v", pass, got, err)
		}
		if err := Walk(ctx, im, func(File) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	layerGets := 0
	for path, n := range counter.gets {
		cfg, _ := img.ConfigName()
		if strings.HasSuffix(path, cfg.String()) {
			continue
		}
		layerGets++
		if n != 1 {
			t.Errorf("%s downloaded %d times, want once", path, n)
		}
	}
	if layerGets != len(layers) {
		t.Errorf("%d layers downloaded, want %d", layerGets, len(layers))
	}
	dir := im.spool.dir
	if dir == "" {
		t.Fatal("no layer was spooled")
	}
	if err := im.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s still there after Close: %v", dir, err)
	}
}

// TestRegistryWithoutPull reads a registry image without pulling first: the
// first pass downloads, the next ones read the spooled copies.
func TestRegistryWithoutPull(t *testing.T) {
	ctx := context.Background()
	host, srv := newRegistry(t)
	ref := host + "/golden/app:v1"
	if err := remote.Write(mustRef(t, ref), goldenImage(t, "amd64")); err != nil {
		t.Fatal(err)
	}
	im, err := FromRegistry(ctx, ref, WithTransport(srv.Client().Transport), WithKeychain(authn.NewMultiKeychain()))
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	for pass := 0; pass < 2; pass++ {
		s, err := Squash(ctx, im, WithContent(selected))
		if err != nil {
			t.Fatal(err)
		}
		diffLines(t, treeLines(s), wantTree)
	}
}

// TestRegistryZstdLayer reads a zstd-compressed layer through the spool.
func TestRegistryZstdLayer(t *testing.T) {
	ctx := context.Background()
	data := tarBytes(t, file("etc/zstd", "compressed with zstd"))
	zl, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithCompression(compression.ZStd))
	if err != nil {
		t.Fatal(err)
	}
	host, srv := newRegistry(t)
	ref := host + "/golden/zstd:v1"
	if err := remote.Write(mustRef(t, ref), goldenImage(t, "amd64", zl)); err != nil {
		t.Fatal(err)
	}
	im, err := FromRegistry(ctx, ref, WithTransport(srv.Client().Transport), WithKeychain(authn.NewMultiKeychain()))
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	s, err := Squash(ctx, im, WithContent(func(p string, _ *tar.Header) bool { return p == "/etc/zstd" }))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.ReadFile("/etc/zstd"); err != nil || string(got) != "compressed with zstd" {
		t.Fatalf("ReadFile = %q, %v", got, err)
	}
}

// A failed download is not remembered: the next read tries again. A pull
// after the layers were read has nothing left to fetch.
func TestSpoolRetriesAndSkipsSpooled(t *testing.T) {
	ctx := context.Background()
	host, srv := newRegistry(t)
	ref := host + "/golden/app:v1"
	if err := remote.Write(mustRef(t, ref), goldenImage(t, "amd64")); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	failing := false
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		fail := failing && strings.Contains(r.URL.Path, "/blobs/")
		mu.Unlock()
		if fail && r.Method == http.MethodGet {
			// A body cut short: the digest check fails at the end.
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("truncated"))
			return
		}
		srv.Config.Handler.ServeHTTP(w, r)
	}))
	defer flaky.Close()
	ref = strings.TrimPrefix(flaky.URL, "http://") + "/golden/app:v1"
	im, err := FromRegistry(ctx, ref, WithTransport(flaky.Client().Transport), WithKeychain(authn.NewMultiKeychain()))
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	mu.Lock()
	failing = true // the layers, now that the config is read
	mu.Unlock()
	if err := im.Pull(ctx, nil); err == nil {
		t.Fatal("a truncated download: want an error")
	}
	mu.Lock()
	failing = false
	mu.Unlock()
	if _, err := Squash(ctx, im, WithContent(selected)); err != nil {
		t.Fatalf("after the registry recovered: %v", err)
	}
	var calls int
	var last, total int64
	if err := im.Pull(ctx, func(read, size int64) { calls, last, total = calls+1, read, size }); err != nil {
		t.Fatal(err)
	}
	if last != 0 || total != 0 {
		t.Errorf("pull after the layers were read: %d of %d bytes (%d calls), want nothing left", last, total, calls)
	}
	entries, _ := os.ReadDir(im.spool.dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".part") {
			t.Errorf("%s left behind", e.Name())
		}
	}
}
