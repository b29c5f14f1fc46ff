package image

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// selected is what a cataloger would ask for up front.
func selected(p string, _ *tar.Header) bool {
	switch p {
	case "/etc/os-release", "/var/lib/dpkg/status", "/usr/sbin/su2", "/etc/passwd", "/opt/app/new.conf":
		return true
	}
	return false
}

// TestSourcesAgree reads one image through every source kind and expects
// the same squashed tree, the same selected contents and the same config.
func TestSourcesAgree(t *testing.T) {
	ctx := context.Background()
	img := goldenImage(t, "amd64")
	wantDigest, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	host, srv := newRegistry(t)
	ref := host + "/golden/app:v1"
	if err := remote.Write(mustRef(t, ref), img); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	archive := filepath.Join(tmp, "app.tar")
	tag, _ := name.NewTag("golden/app:v1")
	if err := tarball.WriteToFile(archive, tag, img); err != nil {
		t.Fatal(err)
	}
	oci := filepath.Join(tmp, "oci")
	if _, err := layout.Write(oci, mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img})); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(tmp, "rootfs")
	writeRootFS(t, root)

	tests := []struct {
		name   string
		open   func() (*Image, error)
		digest string
		tree   []string
	}{
		{"registry", func() (*Image, error) {
			return FromRegistry(ctx, ref, WithTransport(srv.Client().Transport), WithKeychain(authn.NewMultiKeychain()))
		}, wantDigest.String(), wantTree},
		{"docker-archive", func() (*Image, error) { return FromDockerArchive(ctx, archive) }, "", wantTree},
		{"oci-layout", func() (*Image, error) { return FromOCILayout(ctx, oci) }, wantDigest.String(), wantTree},
		{"rootfs", func() (*Image, error) { return FromRootFS(ctx, root) }, "", rootfsTree()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := tt.open()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { im.Close() })
			if im.Digest != tt.digest {
				t.Errorf("digest = %q, want %q", im.Digest, tt.digest)
			}
			s, err := Squash(ctx, im, WithContent(selected))
			if err != nil {
				t.Fatal(err)
			}
			diffLines(t, treeLines(s), tt.tree)
			for p, want := range map[string]string{
				"/etc/os-release":      "ID=debian\nVERSION_ID=\"12\"\n", // symlink, target not selected
				"etc/os-release":       "ID=debian\nVERSION_ID=\"12\"\n",
				"/var/lib/dpkg/status": "Package: base\n\nPackage: curl\n", // the later layer's
				"/usr/sbin/su2":        "ELF-su",                           // hard link
				"/srv/new.conf":        "new",                              // selected as /opt/app/new.conf, read through a symlinked dir
			} {
				got, err := s.ReadFile(p)
				if err != nil || string(got) != want {
					t.Errorf("ReadFile(%s) = %q, %v; want %q", p, got, err, want)
				}
			}
			if _, err := s.ReadFile("/usr/bin/passwd"); !errors.Is(err, ErrNoContent) {
				t.Errorf("unselected file: err = %v, want ErrNoContent", err)
			}
			for _, p := range []string{"/root/.ssh/id_rsa", "/tmp/build.log", "/srv/data", "/etc/motd"} {
				if _, err := s.ReadFile(p); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("ReadFile(%s): err = %v, want not exist", p, err)
				}
			}
			if im.Source == SourceRootFS {
				return
			}
			c := im.Config
			if c.User != "app" || c.Entrypoint[0] != "/usr/bin/newtool" || c.Cmd[0] != "--serve" || c.Env[0] != "PATH=/usr/bin" ||
				strings.Join(c.ExposedPorts, ",") != "80/tcp,8443/tcp" || strings.Join(c.Volumes, ",") != "/data" ||
				c.Created.Year() != 2026 || c.Architecture != "amd64" || c.OS != "linux" {
				t.Errorf("config = %+v", c)
			}
			if !strings.HasPrefix(im.ID, "sha256:") || im.Platform == nil || im.Platform.Architecture != "amd64" {
				t.Errorf("id %q platform %v", im.ID, im.Platform)
			}
		})
	}
}

// TestWalkFlags checks what Walk says about every entry of every layer,
// including the ones the final filesystem no longer shows.
func TestWalkFlags(t *testing.T) {
	img := &Image{Source: "test", Ref: "golden", V1: goldenImage(t, "amd64")}
	type seen struct {
		layer             int
		deleted, replaced bool
		body              string
	}
	got := map[string][]seen{}
	var order []int
	err := Walk(context.Background(), img, func(f File) error {
		b := make([]byte, 64)
		n, _ := f.Content.Read(b)
		got[f.Path] = append(got[f.Path], seen{f.Layer, f.Deleted, f.Replaced, string(b[:n])})
		if len(order) == 0 || order[len(order)-1] != f.Layer {
			order = append(order, f.Layer)
		}
		if f.LayerDiffID == "" || f.Header == nil {
			t.Errorf("%s: no layer diff id or header", f.Path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != 3 || order[0] != 2 || order[2] != 0 {
		t.Errorf("layer order = %v, want top down [2 1 0]", order)
	}
	tests := []struct {
		path string
		want []seen
	}{
		{"/root/.ssh/id_rsa", []seen{{0, true, false, "-----BEGIN PRIVATE KEY-----\n"}}},
		{"/tmp/build.log", []seen{{0, true, false, "secret=hunter2"}}},
		{"/tmp", []seen{{0, true, false, ""}}},
		{"/opt/app/old.conf", []seen{{0, true, false, "old"}}},
		{"/opt/app/new.conf", []seen{{1, false, false, "new"}}},
		{"/opt/app", []seen{{1, false, false, ""}, {0, false, true, ""}}},
		{"/srv/data", []seen{{0, false, true, "data"}}},
		{"/srv", []seen{{1, false, false, ""}, {0, false, true, ""}}},
		{"/var/lib/dpkg/status", []seen{{1, false, false, "Package: base\n\nPackage: curl\n"}, {0, false, true, "Package: base\n"}}},
		{"/etc/motd", []seen{{0, true, false, "hello\n"}}},
		{"/usr/bin/passwd", []seen{{0, false, false, "ELF-passwd"}}},
		{"/usr/bin", []seen{{2, false, false, ""}, {0, false, true, ""}}},
		{"/etc/.wh.motd", nil},
		{"/opt/app/.wh..wh..opq", nil},
	}
	for _, tt := range tests {
		g := got[tt.path]
		if len(g) != len(tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.path, g, tt.want)
			continue
		}
		for i := range g {
			if g[i] != tt.want[i] {
				t.Errorf("%s[%d]: got %+v, want %+v", tt.path, i, g[i], tt.want[i])
			}
		}
	}
}

func TestWalkSkipAllAndCancel(t *testing.T) {
	img := &Image{Source: "test", Ref: "golden", V1: goldenImage(t, "amd64")}
	n := 0
	if err := Walk(context.Background(), img, func(File) error { n++; return fs.SkipAll }); err != nil || n != 1 {
		t.Errorf("SkipAll: n=%d err=%v", n, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Walk(ctx, img, func(File) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	boom := errors.New("boom")
	if err := Walk(context.Background(), img, func(File) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("visit error: err = %v", err)
	}
}

// TestPlatforms selects images out of a multi-arch index, from a registry
// and from an OCI layout.
func TestPlatforms(t *testing.T) {
	ctx := context.Background()
	arch := func(a string) v1.Image {
		return goldenImage(t, a, layerOf(t, file("arch", a)))
	}
	rnd, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: arch("amd64"), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: arch("arm64"), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
		mutate.IndexAddendum{Add: rnd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "unknown", Architecture: "unknown"}}},
	)
	host, _ := newRegistry(t)
	ref := host + "/golden/multi:v1"
	if err := remote.WriteIndex(mustRef(t, ref), idx); err != nil {
		t.Fatal(err)
	}
	oci := filepath.Join(t.TempDir(), "oci")
	if _, err := layout.Write(oci, idx); err != nil {
		t.Fatal(err)
	}
	// buildx (--output type=oci) and skopeo (copy --all) write a layout
	// whose index.json points at the multi-arch index rather than being it.
	nested := filepath.Join(t.TempDir(), "nested")
	lp, err := layout.Write(nested, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(idx); err != nil {
		t.Fatal(err)
	}
	sources := map[string]func(...Option) (*Image, error){
		"registry":          func(o ...Option) (*Image, error) { return FromRegistry(ctx, ref, o...) },
		"oci-layout":        func(o ...Option) (*Image, error) { return FromOCILayout(ctx, oci, o...) },
		"oci-layout-nested": func(o ...Option) (*Image, error) { return FromOCILayout(ctx, nested, o...) },
	}
	for name, open := range sources {
		t.Run(name, func(t *testing.T) {
			for _, tt := range []struct {
				opts []Option
				want string
			}{
				{nil, "amd64"},
				{[]Option{WithPlatform("linux/amd64")}, "amd64"},
				{[]Option{WithPlatform("linux/arm64")}, "arm64"},
				{[]Option{WithPlatform("linux/arm64/v8")}, "arm64"},
			} {
				im, err := open(tt.opts...)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { im.Close() })
				s, err := Squash(ctx, im, WithContent(func(p string, _ *tar.Header) bool { return p == "/arch" }))
				if err != nil {
					t.Fatal(err)
				}
				b, err := s.ReadFile("/arch")
				if err != nil || string(b) != tt.want || im.Config.Architecture != tt.want {
					t.Errorf("%v: /arch = %q (%v), config arch %q; want %s", tt.opts, b, err, im.Config.Architecture, tt.want)
				}
			}
			_, err := open(WithPlatform("linux/riscv64"))
			if err == nil || !strings.Contains(err.Error(), "available: linux/amd64, linux/arm64/v8, unknown/unknown") ||
				!strings.Contains(err.Error(), strings.TrimSuffix(name, "-nested")) {
				t.Errorf("no match: err = %v", err)
			}
		})
	}
}

func TestDockerArchiveTags(t *testing.T) {
	ctx := context.Background()
	a, b := goldenImage(t, "amd64"), goldenImage(t, "arm64")
	p := filepath.Join(t.TempDir(), "multi.tar")
	ta, _ := name.NewTag("golden/a:1")
	tb, _ := name.NewTag("golden/b:1")
	if err := tarball.MultiWriteToFile(p, map[name.Tag]v1.Image{ta: a, tb: b}); err != nil {
		t.Fatal(err)
	}
	if _, err := FromDockerArchive(ctx, p); err == nil || !strings.Contains(err.Error(), "docker-archive "+p) {
		t.Errorf("several images, no tag: err = %v", err)
	}
	im, err := FromDockerArchive(ctx, p, WithTag("golden/b:1"))
	if err != nil {
		t.Fatal(err)
	}
	if im.Config.Architecture != "arm64" {
		t.Errorf("tag b: arch %q", im.Config.Architecture)
	}
	if _, err := FromDockerArchive(ctx, p, WithTag("golden/b:1"), WithPlatform("linux/amd64")); err == nil {
		t.Error("platform mismatch accepted")
	}
	if _, err := FromDockerArchive(ctx, p, WithTag("golden/c:1")); err == nil {
		t.Error("unknown tag accepted")
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	junk := filepath.Join(tmp, "junk.tar")
	if err := os.WriteFile(junk, []byte("this is not a tar"), 0o644); err != nil {
		t.Fatal(err)
	}
	host, _ := newRegistry(t)
	tests := []struct {
		name    string
		open    func() (*Image, error)
		want    []string
		notExst bool
	}{
		{"bad reference", func() (*Image, error) { return FromRegistry(ctx, "Bad::Ref//x") }, []string{"registry Bad::Ref//x", "bad reference"}, false},
		{"missing repo", func() (*Image, error) { return FromRegistry(ctx, host+"/no/such:tag") }, []string{"registry " + host + "/no/such:tag"}, false},
		{"bad platform", func() (*Image, error) { return FromRegistry(ctx, "alpine", WithPlatform("amd64")) }, []string{"invalid platform"}, false},
		{"missing archive", func() (*Image, error) { return FromDockerArchive(ctx, filepath.Join(tmp, "nope.tar")) }, []string{"docker-archive"}, true},
		{"junk archive", func() (*Image, error) { return FromDockerArchive(ctx, junk) }, []string{"docker-archive " + junk}, false},
		{"missing layout", func() (*Image, error) { return FromOCILayout(ctx, filepath.Join(tmp, "nope")) }, []string{"oci-layout"}, true},
		{"not a layout", func() (*Image, error) { return FromOCILayout(ctx, tmp) }, []string{"oci-layout " + tmp}, false},
		{"missing rootfs", func() (*Image, error) { return FromRootFS(ctx, filepath.Join(tmp, "nope")) }, []string{"rootfs"}, true},
		{"rootfs is a file", func() (*Image, error) { return FromRootFS(ctx, junk) }, []string{"not a directory"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := tt.open()
			if err == nil {
				t.Fatalf("no error, image %v", im)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err %q does not contain %q", err, w)
				}
			}
			if tt.notExst && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("err %v is not fs.ErrNotExist", err)
			}
		})
	}
}

func TestCorruptLayers(t *testing.T) {
	good := tarBytes(t, file("a", strings.Repeat("x", 2048)))
	tests := []struct {
		name string
		data []byte
	}{
		{"garbage", []byte(strings.Repeat("not a tar at all ", 64))},
		{"truncated", good[:700]},
		{"bad checksum", func() []byte { b := append([]byte(nil), good...); b[148] ^= 0x55; return b }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := tarball.LayerFromReader(strings.NewReader(string(tt.data)))
			if err != nil {
				t.Fatal(err)
			}
			v, err := mutate.AppendLayers(empty.Image, layerOf(t, file("ok", "ok")), l)
			if err != nil {
				t.Fatal(err)
			}
			img := &Image{Source: "test", Ref: "corrupt", V1: v}
			_, err = Squash(context.Background(), img, WithContent(func(string, *tar.Header) bool { return true }))
			if err == nil || !strings.Contains(err.Error(), "layer 1 (sha256:") || !strings.Contains(err.Error(), "test:corrupt") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestContentLimits(t *testing.T) {
	v, err := mutate.AppendLayers(empty.Image, layerOf(t,
		file("big", strings.Repeat("x", 100)),
		file("small", "ok"),
		symlink("loop1", "loop2"), symlink("loop2", "loop1"),
		symlink("dangling", "/nowhere"),
		symlink("escape", "../../../../small"),
		dir("d/"),
	))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Squash(context.Background(), &Image{Source: "test", Ref: "limits", V1: v},
		WithContent(func(string, *tar.Header) bool { return true }), WithMaxContentSize(10))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path, want, errPart string
	}{
		{"/big", "", "limit"},
		{"/small", "ok", ""},
		{"/escape", "ok", ""},
		{"/loop1", "", "too many levels"},
		{"/dangling", "", "not exist"},
		{"/d", "", "is a directory"},
		{"/missing", "", "not exist"},
	} {
		b, err := s.ReadFile(tt.path)
		if tt.errPart == "" {
			if err != nil || string(b) != tt.want {
				t.Errorf("%s: %q, %v", tt.path, b, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.errPart) {
			t.Errorf("%s: err = %v, want %q", tt.path, err, tt.errPart)
		}
	}
	if e, ok := s.Stat("big"); !ok || e.Size != 100 {
		t.Errorf("Stat(big) = %+v, %v", e, ok)
	}
	if s.Len() != 7 {
		t.Errorf("Len = %d", s.Len())
	}
}

func mustRef(t testing.TB, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestImplicitParents(t *testing.T) {
	v, err := mutate.AppendLayers(empty.Image,
		layerOf(t, file("a/b/c", "c")),
		layerOf(t, file("a/x", "x"), dir("d/"), file("d/e/f", "f")))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Squash(context.Background(), &Image{Source: "test", Ref: "implicit", V1: v})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range s.Entries() {
		got = append(got, fmt.Sprintf("%s %s %d %v", e.Path, e.Mode, e.Layer, e.Implicit))
	}
	diffLines(t, got, []string{
		"/a drwxr-xr-x 0 true",
		"/a/b drwxr-xr-x 0 true",
		"/a/b/c -rw-r--r-- 0 false",
		"/a/x -rw-r--r-- 1 false",
		"/d drwxr-xr-x 1 false",
		"/d/e drwxr-xr-x 1 true",
		"/d/e/f -rw-r--r-- 1 false",
	})
}

func TestWalkCancelDuringRead(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	img := bigImage(t, 50<<20)
	var n int64
	err := Walk(ctx, img, func(f File) error {
		buf := make([]byte, 1<<20)
		for {
			m, err := f.Content.Read(buf)
			n += int64(m)
			if n > 1<<20 {
				cancel()
			}
			if err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
		}
	})
	if !errors.Is(err, context.Canceled) || n > 10<<20 {
		t.Errorf("err = %v after %d bytes", err, n)
	}
}
