package imagescan

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/fixity-sec/fixity/pkg/image/imagetest"
	"github.com/fixity-sec/fixity/pkg/vuln/store"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// These tests read a real Debian root filesystem made with
//
//	debootstrap --variant=minbase bookworm DIR http://deb.debian.org/debian
//
// named by FIXITY_DEBIAN_ROOTFS; .ci/run makes one. Without it they skip.
func debianRootFS(tb testing.TB) string {
	dir := os.Getenv("FIXITY_DEBIAN_ROOTFS")
	if dir == "" {
		tb.Skip("FIXITY_DEBIAN_ROOTFS names no debootstrapped Debian root filesystem")
	}
	return dir
}

// sourcePackages reads the source package names of a dpkg status file, so
// the synthetic advisories below name packages the image really has.
func sourcePackages(tb testing.TB, root string) []string {
	f, err := os.Open(filepath.Join(root, "var/lib/dpkg/status"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	seen := map[string]bool{}
	var out []string
	var pkg, src string
	flush := func() {
		name := src
		if name == "" {
			name = pkg
		}
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
		pkg, src = "", ""
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "Package: "):
			pkg = strings.TrimPrefix(line, "Package: ")
		case strings.HasPrefix(line, "Source: "):
			src = strings.Fields(strings.TrimPrefix(line, "Source: "))[0]
		}
	}
	flush()
	return out
}

// writeExport writes n OSV records as an export zip: one advisory fixed in a
// far future version for every source package of the image (so each one
// matches), the rest for packages the image does not have.
func writeExport(tb testing.TB, path string, n int, real []string) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("synthetic-%d", i%5000)
		if i < len(real) {
			name = real[i]
		}
		w, err := zw.Create(fmt.Sprintf("DEBIAN-TEST-%06d.json", i))
		if err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(w, `{"schema_version":"1.6.0","id":"DEBIAN-TEST-%06d","modified":"2026-11-01T00:00:00Z",
"aliases":["CVE-2026-%05d"],"summary":"synthetic advisory %d",
"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
"affected":[{"package":{"ecosystem":"Debian:12","name":%q},
"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"99:1.0-1"}]}]}]}`, i, i%100000, i, name)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

func openStore(tb testing.TB, n int, real []string) *store.Store {
	dir := tb.TempDir()
	zipPath := filepath.Join(dir, "Debian.zip")
	writeExport(tb, zipPath, n, real)
	st, err := store.Open(context.Background(), filepath.Join(dir, "vuln.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Import(context.Background(), zipPath); err != nil {
		tb.Fatal(err)
	}
	return st
}

func TestDebianRootFS(t *testing.T) {
	root := debianRootFS(t)
	real := sourcePackages(t, root)
	st := openStore(t, 2000, real)
	img, err := image.FromRootFS(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), img, Options{Vulns: st, Baseline: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.SBOM.OS.ID != "debian" || res.SBOM.OS.VersionID != "12" {
		t.Errorf("OS %+v, want Debian 12", res.SBOM.OS)
	}
	if res.Report.Summary.Files < 1000 || res.Report.Summary.Resources != len(res.SBOM.Packages) {
		t.Errorf("summary %+v: files are the image's, resources its packages", res.Report.Summary)
	}
	if n := len(res.SBOM.Packages); n < 80 {
		t.Errorf("%d packages, a minbase Debian has about 90", n)
	}
	byName := map[string]bool{}
	for _, p := range res.SBOM.Packages {
		byName[p.Name] = true
		if p.PURL == "" || p.Ecosystem != "Debian:12" {
			t.Errorf("package %+v lacks a purl or ecosystem", p)
		}
	}
	for _, want := range []string{"base-files", "libc6", "dpkg", "bash", "coreutils"} {
		if !byName[want] {
			t.Errorf("package %s not found", want)
		}
	}
	// Every source package has one matching advisory, so every binary
	// package built from one is reported; libc6 through glibc at least.
	var libc bool
	for _, f := range res.Report.Findings {
		if strings.HasPrefix(f.Resource, "pkg:deb/debian/libc6@") && strings.HasPrefix(f.RuleID, "DEBIAN-TEST-") {
			libc = true
		}
		if f.RuleID == "FX-IMG-001" {
			t.Errorf("minbase has no SSH server, got %s", f.Message)
		}
	}
	if !libc {
		t.Error("libc6 was not matched through its source package glibc")
	}
	if !res.Baseline.Allows("/usr/bin/bash", hashOf(t, filepath.Join(root, "usr/bin/bash"))) {
		t.Error("the baseline does not allow /usr/bin/bash")
	}
}

// BenchmarkDebianScan is the bake-time scan end to end (SBOM, vulnerabilities
// against a 100,000-record store, hardening, baseline) of a debootstrapped
// Debian minbase; docs/performance.md records its figures:
//
//	FIXITY_DEBIAN_ROOTFS=/tmp/debroot go test -run '^$' -bench DebianScan -benchmem ./pkg/imagescan
func BenchmarkDebianScan(b *testing.B) {
	root := debianRootFS(b)
	st := openStore(b, 100000, sourcePackages(b, root))
	img, err := image.FromRootFS(context.Background(), root)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run(context.Background(), img, Options{Vulns: st, Baseline: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// pushRootFS makes a one-layer image of a root filesystem and serves it
// from an in-process registry; it returns the image's reference.
func pushRootFS(tb testing.TB, root string) string {
	tb.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() && info.Mode()&fs.ModeSymlink == 0 {
			return nil // devices and pipes do not go into image layers
		}
		link := ""
		if info.Mode()&fs.ModeSymlink != 0 {
			if link, err = os.Readlink(p); err != nil {
				return err
			}
		}
		h, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		h.Name = filepath.ToSlash(rel)
		if info.IsDir() {
			h.Name += "/"
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if info.Mode().IsRegular() {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(tw, f)
			return err
		}
		return nil
	})
	if err == nil {
		err = tw.Close()
	}
	if err != nil {
		tb.Fatal(err)
	}
	data := buf.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithCompressionLevel(gzip.BestSpeed))
	if err != nil {
		tb.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		tb.Fatal(err)
	}
	return imagetest.Serve(tb, img, "debian/minbase:12")
}

// TestDebianThroughRegistry scans the Debian root filesystem as a registry
// image and expects what scanning the directory gives.
func TestDebianThroughRegistry(t *testing.T) {
	root := debianRootFS(t)
	ctx := context.Background()
	st := openStore(t, 2000, sourcePackages(t, root))
	dir, err := image.FromRootFS(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Run(ctx, dir, Options{Vulns: st, Baseline: true})
	if err != nil {
		t.Fatal(err)
	}
	img, err := Source{Ref: pushRootFS(t, root)}.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	if err := img.Pull(ctx, nil); err != nil {
		t.Fatal(err)
	}
	got, err := Run(ctx, img, Options{Vulns: st, Baseline: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.SBOM.Packages) != len(want.SBOM.Packages) || got.SBOM.OS.ID != want.SBOM.OS.ID || got.SBOM.OS.VersionID != want.SBOM.OS.VersionID {
		t.Errorf("registry: %d packages on %+v; directory: %d on %+v",
			len(got.SBOM.Packages), got.SBOM.OS, len(want.SBOM.Packages), want.SBOM.OS)
	}
	if g, w := len(got.Baseline.Executables), len(want.Baseline.Executables); g != w {
		t.Errorf("registry baseline has %d executables, the directory's %d", g, w)
	}
	vulns := func(r *Result) (n int) {
		for _, f := range r.Report.Findings {
			if strings.HasPrefix(f.RuleID, "DEBIAN-TEST-") {
				n++
			}
		}
		return n
	}
	if g, w := vulns(got), vulns(want); g != w || g == 0 {
		t.Errorf("registry: %d vulnerabilities, directory: %d", g, w)
	}
}

// BenchmarkDebianScanRegistry is BenchmarkDebianScan through a registry
// (in process, so without network time): open, pull the layer, scan,
// remove the pulled layer.
//
//	FIXITY_DEBIAN_ROOTFS=/tmp/debroot go test -run '^$' -bench DebianScanRegistry -benchmem ./pkg/imagescan
func BenchmarkDebianScanRegistry(b *testing.B) {
	root := debianRootFS(b)
	st := openStore(b, 100000, sourcePackages(b, root))
	ref := pushRootFS(b, root)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		img, err := Source{Ref: ref}.Open(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := img.Pull(ctx, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := Run(ctx, img, Options{Vulns: st, Baseline: true}); err != nil {
			b.Fatal(err)
		}
		img.Close()
	}
}
