package sbom

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	spdxjson "github.com/spdx/tools-golang/json"

	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/fixity-sec/fixity/pkg/image/catalog"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const (
	layer0 = "sha256:30cc34c13652390020dfe68943749cd362c5f9ad9b14f2db9c2bc78534127313"
	layer1 = "sha256:6c31530130fc1e1f98c9100a873958ff6bf928bc9467d0b1049784ea850751c9"
)

func debianSBOM() *catalog.SBOM {
	status := []catalog.Location{{Path: "/var/lib/dpkg/status", Layer: 1, LayerDiffID: layer1}}
	return &catalog.SBOM{
		Image: catalog.ImageInfo{
			Source: image.SourceRegistry, Ref: "registry.example.com/golden/base:1.4",
			Digest:   "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
			ID:       "sha256:60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
			Platform: "linux/amd64",
			Config:   image.Config{Created: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)},
			Layers:   []string{layer0, layer1},
		},
		OS: catalog.OSInfo{ID: "debian", VersionID: "12", VersionCodename: "bookworm", PrettyName: "Debian GNU/Linux 12 (bookworm)"},
		Packages: []catalog.Package{
			{Name: "libssl3", Version: "3.0.11-1~deb12u2", Type: catalog.TypeDeb, Ecosystem: "Debian:12", Arch: "amd64",
				SourceName: "openssl", SourceVersion: "3.0.11-1~deb12u2", FoundBy: "dpkg", Locations: status,
				PURL: "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl"},
			{Name: "tzdata", Version: "2024a-0+deb12u1", Type: catalog.TypeDeb, Ecosystem: "Debian:12", Arch: "all",
				SourceName: "tzdata", SourceVersion: "2024a-0+deb12u1", FoundBy: "dpkg", Locations: status,
				PURL: "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12"},
			{Name: "golang.org/x/net", Version: "v0.61.0", Type: catalog.TypeGoModule, Ecosystem: "Go", Arch: "amd64",
				SourceName: "golang.org/x/net", SourceVersion: "v0.61.0", FoundBy: "go-binary",
				Locations: []catalog.Location{{Path: "/server", Layer: 1, LayerDiffID: layer1}, {Path: "/usr/local/bin/app", Layer: 1, LayerDiffID: layer1}},
				PURL:      "pkg:golang/golang.org/x/net@v0.61.0"},
		},
	}
}

func alpineRootFS() *catalog.SBOM {
	return &catalog.SBOM{
		Image: catalog.ImageInfo{Source: image.SourceRootFS, Ref: "/srv/rootfs"},
		OS:    catalog.OSInfo{ID: "alpine", VersionID: "3.20.3", PrettyName: "Alpine Linux v3.20"},
		Packages: []catalog.Package{
			{Name: "libcrypto3", Version: "3.3.1-r0", Type: catalog.TypeApk, Ecosystem: "Alpine:v3.20", Arch: "x86_64",
				SourceName: "openssl", SourceVersion: "3.3.1-r0", License: "Apache-2.0", FoundBy: "apk",
				Locations: []catalog.Location{{Path: "/lib/apk/db/installed"}},
				PURL:      "pkg:apk/alpine/libcrypto3@3.3.1-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl"},
		},
	}
}

func TestWriters(t *testing.T) {
	writers := []struct {
		ext   string
		write func(io.Writer, *catalog.SBOM) error
		read  func(io.Reader) error
	}{
		{"cdx.json", WriteCycloneDX, func(r io.Reader) error {
			var bom cdx.BOM
			return cdx.NewBOMDecoder(r, cdx.BOMFileFormatJSON).Decode(&bom)
		}},
		{"spdx.json", WriteSPDX, func(r io.Reader) error {
			_, err := spdxjson.Read(r)
			return err
		}},
	}
	sboms := []struct {
		name string
		sbom func() *catalog.SBOM
	}{
		{"debian", debianSBOM},
		{"alpine-rootfs", alpineRootFS},
		{"empty", func() *catalog.SBOM {
			return &catalog.SBOM{Image: catalog.ImageInfo{Source: image.SourceRootFS, Ref: "/empty"}}
		}},
	}
	for _, w := range writers {
		for _, s := range sboms {
			name := s.name + "." + w.ext
			t.Run(name, func(t *testing.T) {
				var got bytes.Buffer
				if err := w.write(&got, s.sbom()); err != nil {
					t.Fatal(err)
				}
				var again bytes.Buffer
				if err := w.write(&again, s.sbom()); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), again.Bytes()) {
					t.Error("two writes of the same SBOM differ")
				}
				if err := w.read(bytes.NewReader(got.Bytes())); err != nil {
					t.Errorf("output does not read back: %v", err)
				}
				golden := filepath.Join("testdata", name)
				if *update {
					if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("%s differs from the golden file (go test ./pkg/image/sbom -update to accept):\n%s", name, got.String())
				}
			})
		}
	}
}

func TestIdentity(t *testing.T) {
	a, b := debianSBOM(), debianSBOM()
	b.Image.Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000"
	if documentUUID(a) == documentUUID(b) {
		t.Error("two digests gave one document UUID")
	}
	b = debianSBOM()
	b.Packages = nil
	if documentUUID(a) != documentUUID(b) {
		t.Error("the document UUID of an image with a digest depends on more than the digest")
	}
	r1, r2 := alpineRootFS(), alpineRootFS()
	r2.Packages[0].Version = "3.3.2-r0"
	if documentUUID(r1) == documentUUID(r2) {
		t.Error("a root filesystem with other packages kept its document UUID")
	}
	for _, p := range debianSBOM().Packages {
		id := packageID(p)
		if strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != "" {
			t.Errorf("package ID %q is not a valid SPDX ID", id)
		}
	}
	if err := WriteCycloneDX(io.Discard, nil); err == nil {
		t.Error("no error for a nil SBOM")
	}
	if err := WriteSPDX(io.Discard, nil); err == nil {
		t.Error("no error for a nil SBOM")
	}
}
