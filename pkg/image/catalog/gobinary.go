package catalog

import (
	"archive/tar"
	"bytes"
	"context"
	"debug/buildinfo"
	"path"
	"strings"

	"github.com/fixity-sec/fixity/pkg/image"
)

// goBinaryCataloger reads the module list the Go linker embeds in every
// binary built with modules (debug/buildinfo).
//
// Which files to read is a trade-off: Squash keeps selected files in memory
// and cannot look at their bytes before choosing, so the selection is by
// path and header alone. A file is read when it is a regular file with an
// execute bit, between goMinBinarySize and MaxFileSize bytes, not a shared
// library (".so" in the name), and either sits directly in / (distroless
// and ko images put the binary there) or under one of goBinaryDirs. Go
// binaries elsewhere (under /usr/lib, /home) are missed; libraries, which
// often carry an execute bit, are not read.
type goBinaryCataloger struct{}

// goMinBinarySize: the smallest Go binary, stripped, is over a megabyte;
// half of that keeps out scripts and most small C tools.
const goMinBinarySize = 512 << 10

var goBinaryDirs = []string{
	"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/",
	"/usr/local/go/bin/", "/go/bin/", "/app/", "/opt/", "/srv/", "/ko-app/",
}

func (goBinaryCataloger) Name() string { return "go-binary" }

func (goBinaryCataloger) Wants(p string, h *tar.Header) bool {
	if h == nil || (h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA) || //nolint:staticcheck // old archives still use TypeRegA
		h.Mode&0o111 == 0 || h.Size < goMinBinarySize || h.Size > MaxFileSize {
		return false
	}
	base := path.Base(p)
	if strings.HasSuffix(base, ".so") || strings.Contains(base, ".so.") {
		return false
	}
	if path.Dir(p) == "/" {
		return true
	}
	for _, d := range goBinaryDirs {
		if strings.HasPrefix(p, d) {
			return true
		}
	}
	return false
}

func (c goBinaryCataloger) Catalog(ctx context.Context, fsys *image.FS, _ OSInfo) ([]Package, error) {
	var pkgs []Package
	for _, e := range fsys.Entries() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if e.Type != tar.TypeReg || !c.Wants(e.Path, &tar.Header{Typeflag: e.Type, Mode: int64(e.Mode.Perm()), Size: e.Size}) {
			continue
		}
		b, err := fsys.ReadFile(e.Path)
		if err != nil {
			continue // too large, or not selected: not a binary we read
		}
		bi, err := buildinfo.Read(bytes.NewReader(b))
		if err != nil {
			continue // not a Go binary, or one without module information
		}
		pkgs = append(pkgs, goModules(bi, e.Path)...)
	}
	return pkgs, nil
}

// GoModules lists the modules of one binary's build info: the main module,
// every dependency, and the standard library as "stdlib". A module replaced
// by another module is listed as the replacement, the code actually linked;
// one replaced by a local directory keeps its own path and version, the
// directory naming nothing a vulnerability database knows.
func goModules(bi *buildinfo.BuildInfo, file string) []Package {
	arch := ""
	for _, s := range bi.Settings {
		if s.Key == "GOARCH" {
			arch = s.Value
		}
	}
	mk := func(name, version string) Package {
		return Package{
			Name: name, Version: version, Type: TypeGoModule, Ecosystem: "Go",
			SourceName: name, SourceVersion: version, Arch: arch,
			PURL: goPURL(name, version), Locations: []Location{{Path: file}},
		}
	}
	var out []Package
	if bi.Main.Path != "" {
		out = append(out, mk(bi.Main.Path, bi.Main.Version))
	}
	for _, d := range bi.Deps {
		if d == nil {
			continue
		}
		m := *d
		if r := m.Replace; r != nil && r.Version != "" {
			m = *r
		}
		if m.Path == "" {
			continue
		}
		out = append(out, mk(m.Path, m.Version))
	}
	// "go1.22.1" or "go1.22.1 X:boringcrypto": OSV's Go ecosystem versions
	// the standard library as "1.22.1".
	if v, ok := strings.CutPrefix(firstField(bi.GoVersion, " "), "go"); ok && v != "" {
		out = append(out, mk("stdlib", v))
	}
	return out
}
