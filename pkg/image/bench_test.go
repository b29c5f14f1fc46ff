package image

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"runtime"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// streamedLayer generates a layer tar on the fly: a few small files and one
// big file of the given size. Nothing of it is ever held in memory.
type streamedLayer struct{ size int64 }

func (l streamedLayer) DiffID() (v1.Hash, error) {
	// Not the real digest (that would mean generating the layer); Walk does
	// not verify it.
	return v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", sha256.Sum256([]byte(fmt.Sprint(l.size))))}, nil
}

func (l streamedLayer) MediaType() (types.MediaType, error) { return types.DockerLayer, nil }

func (l streamedLayer) Uncompressed() (io.ReadCloser, error) {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		write := func(name string, size int64) error {
			if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: size}); err != nil {
				return err
			}
			_, err := io.CopyN(tw, zeros{}, size)
			return err
		}
		err := write("etc/os-release", 64)
		if err == nil {
			err = write("var/lib/big.bin", l.size)
		}
		if err == nil {
			err = write("var/lib/dpkg/status", 4096)
		}
		if err == nil {
			err = tw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr, nil
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// layersOnly is a v1.Image whose Layers are given; the rest is an empty
// image's. It avoids mutate, which would compress the layer for a digest.
type layersOnly struct {
	v1.Image
	layers []v1.Layer
}

func (i layersOnly) Layers() ([]v1.Layer, error) { return i.layers, nil }

func bigImage(tb testing.TB, size int64) *Image {
	l, err := partial.UncompressedToLayer(streamedLayer{size: size})
	if err != nil {
		tb.Fatal(err)
	}
	return &Image{Source: "test", Ref: "big", V1: layersOnly{Image: empty.Image, layers: []v1.Layer{l}}}
}

func squashBig(tb testing.TB, img *Image) {
	s, err := Squash(context.Background(), img, WithContent(func(p string, _ *tar.Header) bool {
		return p == "/etc/os-release" || p == "/var/lib/dpkg/status"
	}))
	if err != nil {
		tb.Fatal(err)
	}
	if b, err := s.ReadFile("/var/lib/dpkg/status"); err != nil || len(b) != 4096 {
		tb.Fatalf("status: %d bytes, %v", len(b), err)
	}
}

// BenchmarkSquash squashes images whose big file grows tenfold; allocations
// per op must stay flat.
func BenchmarkSquash(b *testing.B) {
	for _, size := range []int64{20 << 20, 200 << 20} {
		b.Run(fmt.Sprintf("%dMB", size>>20), func(b *testing.B) {
			img := bigImage(b, size)
			b.ReportAllocs()
			b.SetBytes(size)
			for b.Loop() {
				squashBig(b, img)
			}
		})
	}
}

// TestSquashMemoryBounded is the benchmark's claim as a test: squashing a
// 200 MB layer allocates about what a 2 MB one does.
func TestSquashMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 200 MB")
	}
	alloc := func(size int64) uint64 {
		img := bigImage(t, size)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		squashBig(t, img)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, big := alloc(2<<20), alloc(200<<20)
	t.Logf("allocated: 2 MB layer %d bytes, 200 MB layer %d bytes", small, big)
	if big > 2*small+(1<<20) {
		t.Errorf("allocation grows with layer size: %d bytes for 2 MB, %d for 200 MB", small, big)
	}
}

// BenchmarkWalkReadAll reads every byte of every file, as a secret scanner
// would.
func BenchmarkWalkReadAll(b *testing.B) {
	for _, size := range []int64{20 << 20, 200 << 20} {
		b.Run(fmt.Sprintf("%dMB", size>>20), func(b *testing.B) {
			img := bigImage(b, size)
			b.ReportAllocs()
			b.SetBytes(size)
			for b.Loop() {
				var n int64
				err := Walk(context.Background(), img, func(f File) error {
					m, err := io.Copy(io.Discard, f.Content)
					n += m
					return err
				})
				if err != nil || n < size {
					b.Fatalf("read %d bytes, %v", n, err)
				}
			}
		})
	}
}
