// Package imagetest builds container images for tests from layers (see
// layertest) and a configuration, read back through an OCI layout the way
// fixity reads any image.
package imagetest

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Ref is the reference every image built by Image carries.
const Ref = "registry.example.com/app:1.0"

// Layout writes a linux/amd64 image of the layers with the given
// configuration and creation time as an OCI layout, and returns its
// directory.
func Layout(t testing.TB, cfg v1.Config, created time.Time, layers ...v1.Layer) string {
	t.Helper()
	img, err := mutate.AppendLayers(empty.Image, layers...)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: created}
	cf.Config = cfg
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Image builds the image as Layout does and reads it back the way fixity
// reads any image. The result carries Ref.
func Image(t testing.TB, cfg v1.Config, created time.Time, layers ...v1.Layer) *image.Image {
	t.Helper()
	out, err := image.FromOCILayout(context.Background(), Layout(t, cfg, created, layers...))
	if err != nil {
		t.Fatal(err)
	}
	out.Ref = Ref
	return out
}

// Serve serves img from go-containerregistry's in-process registry on
// 127.0.0.1 (which fixity, like docker, reaches over plain HTTP) as
// repo:tag, for as long as the test runs, and returns its reference.
func Serve(t testing.TB, img v1.Image, repoTag string) string {
	t.Helper()
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	ref := strings.TrimPrefix(srv.URL, "http://") + "/" + repoTag
	tag, err := name.NewTag(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(tag, img); err != nil {
		t.Fatal(err)
	}
	return ref
}

// RootFS writes files (slash paths relative to the root, and their
// contents) as a root filesystem directory and returns it. Files under a
// bin/ or sbin/ directory are executable.
func RootFS(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.Contains(name, "bin/") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
