package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/fixity-sec/fixity/pkg/image/imagetest"
	"github.com/fixity-sec/fixity/pkg/image/layertest"
)

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var created = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func diffIDs(t testing.TB, img *image.Image) []string {
	t.Helper()
	ls, err := img.V1.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range ls {
		d, err := l.DiffID()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, d.String())
	}
	return out
}

// goBinary builds testdata/gobin, a binary whose build information lists
// this module as main module and packageurl-go as a dependency.
func goBinary(t testing.TB) []byte {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain to build a test binary")
	}
	out := filepath.Join(t.TempDir(), "gobin")
	cmd := exec.Command(goTool, "build", "-buildvcs=false", "-o", out, "./testdata/gobin")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOPROXY=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lines renders the packages one per line; when goWant is set, only the Go
// modules it names, so expectations stay exact without listing every
// module a binary links.
func lines(s *SBOM, goWant map[string]bool) []string {
	var out []string
	for _, p := range s.Packages {
		if p.Type == TypeGoModule && goWant != nil && !goWant[p.Name] {
			continue
		}
		out = append(out, fmtPkg(p))
	}
	return out
}

// depVersion is the version of module the main go.mod requires.
func depVersion(t testing.TB, module string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == module {
			return f[1]
		}
	}
	t.Fatalf("go.mod does not require %s", module)
	return ""
}

func checkLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("packages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCatalogDebian(t *testing.T) {
	ctx := context.Background()
	bin := goBinary(t)
	noise := bytes.Repeat([]byte{0x7f, 'E', 'L', 'F'}, goMinBinarySize/4+1)
	img := imagetest.Image(t, v1.Config{}, created,
		layertest.Layer(t,
			layertest.File("usr/lib/os-release", string(testdata(t, "os-release/debian"))),
			layertest.Symlink("etc/os-release", "../usr/lib/os-release"),
			layertest.File("var/lib/dpkg/status", "Package: old\nStatus: install ok installed\nVersion: 1\n"),
			layertest.File("var/lib/dpkg/status.d/tzdata", string(testdata(t, "dpkg/status.d/tzdata"))),
			layertest.File("var/lib/dpkg/status.d/tzdata.md5sums", string(testdata(t, "dpkg/status.d/tzdata.md5sums"))),
		),
		layertest.Layer(t, layertest.File("var/lib/dpkg/status", string(testdata(t, "dpkg/status")))),
		layertest.Layer(t,
			layertest.Exe("usr/local/bin/app", string(bin)),
			layertest.Exe("server", string(bin)),
			layertest.Exe("usr/lib/not-scanned", string(bin)), // outside the directories read
			layertest.Exe("usr/bin/not-go", string(noise)),
		),
	)
	s, err := Catalog(ctx, img)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Errors) > 0 {
		t.Errorf("errors: %q", s.Errors)
	}
	if want := (OSInfo{ID: "debian", VersionID: "12", VersionCodename: "bookworm", PrettyName: "Debian GNU/Linux 12 (bookworm)"}); s.OS.ID != want.ID || s.OS.VersionCodename != want.VersionCodename || s.OS.PrettyName != want.PrettyName {
		t.Errorf("OS = %+v", s.OS)
	}
	if s.Image.Digest == "" || s.Image.Digest != img.Digest || s.Image.Platform != "linux/amd64" || !s.Created().Equal(created) {
		t.Errorf("image info = %+v, created %v", s.Image, s.Created())
	}
	ids := diffIDs(t, img)
	if strings.Join(s.Image.Layers, " ") != strings.Join(ids, " ") {
		t.Errorf("layers = %q, want %q", s.Image.Layers, ids)
	}
	l1, l2 := "#1"+ids[1], "#2"+ids[2]
	status := " /var/lib/dpkg/status" + l1
	purlVersion := depVersion(t, "github.com/package-url/packageurl-go")
	goVersion := strings.TrimPrefix(strings.Fields(runtime.Version())[0], "go")
	bins := " /server" + l2 + " /usr/local/bin/app" + l2
	want := []string{
		"deb base-files 12.4+deb12u5 arch=amd64 src=base-files@12.4+deb12u5 eco=Debian:12 lic= by=dpkg pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12" + status,
		"deb libgcc-s1 12.2.0-14 arch=amd64 src=gcc-12@12.2.0-14 eco=Debian:12 lic= by=dpkg pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64&distro=debian-12&upstream=gcc-12" + status,
		"deb libssl3 3.0.11-1~deb12u2 arch=amd64 src=openssl@3.0.11-1~deb12u2 eco=Debian:12 lic= by=dpkg pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl" + status,
		"deb libsystemd0 252.22-1~deb12u1+b1 arch=amd64 src=systemd@252.22-1~deb12u1 eco=Debian:12 lic= by=dpkg pkg:deb/debian/libsystemd0@252.22-1~deb12u1%2Bb1?arch=amd64&distro=debian-12&upstream=systemd%40252.22-1~deb12u1" + status,
		"deb tzdata 2024a-0+deb12u1 arch=all src=tzdata@2024a-0+deb12u1 eco=Debian:12 lic= by=dpkg pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12 /var/lib/dpkg/status.d/tzdata#0" + ids[0],
		"go-module github.com/fixity-sec/fixity (devel) arch=" + runtime.GOARCH + " src=github.com/fixity-sec/fixity@(devel) eco=Go lic= by=go-binary pkg:golang/github.com/fixity-sec/fixity" + bins,
		"go-module github.com/package-url/packageurl-go " + purlVersion + " arch=" + runtime.GOARCH + " src=github.com/package-url/packageurl-go@" + purlVersion +
			" eco=Go lic= by=go-binary pkg:golang/github.com/package-url/packageurl-go@" + purlVersion + bins,
		"go-module stdlib " + goVersion + " arch=" + runtime.GOARCH + " src=stdlib@" + goVersion + " eco=Go lic= by=go-binary pkg:golang/stdlib@" + goVersion + bins,
	}
	checkLines(t, lines(s, nil), want)
}

func TestCatalogAlpineRootFS(t *testing.T) {
	root := t.TempDir()
	write := func(name string, b []byte, mode os.FileMode) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, mode); err != nil {
			t.Fatal(err)
		}
	}
	write("etc/os-release", testdata(t, "os-release/alpine"), 0o644)
	write("lib/apk/db/installed", testdata(t, "apk/installed"), 0o644)
	write("app/tool", goBinary(t), 0o755)
	img, err := image.FromRootFS(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Catalog(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Errors) > 0 {
		t.Errorf("errors: %q", s.Errors)
	}
	db := " /lib/apk/db/installed#0"
	purlVersion := depVersion(t, "github.com/package-url/packageurl-go")
	want := []string{
		"apk busybox 1.36.1-r29 arch=x86_64 src=busybox@1.36.1-r29 eco=Alpine:v3.20 lic=GPL-2.0-only by=apk pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3" + db,
		"apk libcrypto3 3.3.1-r0 arch=x86_64 src=openssl@3.3.1-r0 eco=Alpine:v3.20 lic=Apache-2.0 by=apk pkg:apk/alpine/libcrypto3@3.3.1-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl" + db,
		"apk musl 1.2.5-r0 arch=x86_64 src=musl@1.2.5-r0 eco=Alpine:v3.20 lic=MIT by=apk pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3" + db,
		"go-module github.com/package-url/packageurl-go " + purlVersion + " arch=" + runtime.GOARCH + " src=github.com/package-url/packageurl-go@" + purlVersion +
			" eco=Go lic= by=go-binary pkg:golang/github.com/package-url/packageurl-go@" + purlVersion + " /app/tool#0",
	}
	checkLines(t, lines(s, map[string]bool{"github.com/package-url/packageurl-go": true}), want)
}

func TestCatalogRPM(t *testing.T) {
	var blobs [][]byte
	for _, h := range testRPMs {
		blobs = append(blobs, rpmHeaderBlob(h))
	}
	img := imagetest.Image(t, v1.Config{}, created, layertest.Layer(t,
		layertest.File("etc/os-release", string(testdata(t, "os-release/rocky"))),
		layertest.File("var/lib/rpm/rpmdb.sqlite", string(writeRPMDB(t, blobs...))),
	))
	s, err := Catalog(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Errors) > 0 {
		t.Errorf("errors: %q", s.Errors)
	}
	var names []string
	for _, p := range s.Packages {
		names = append(names, p.Name+"@"+p.Version+"/"+p.Ecosystem)
	}
	if got, want := strings.Join(names, " "), "bash@5.1.8-9.el9/Rocky Linux openssl-libs@1:3.0.7-27.el9/Rocky Linux tzdata@2024a-1.el9/Rocky Linux"; got != want {
		t.Errorf("packages %s, want %s", got, want)
	}
}

func TestCatalogUnsupportedAndEmpty(t *testing.T) {
	tests := []struct {
		name     string
		layer    []layertest.Entry
		errs     string
		packages int
	}{
		{"corrupt berkeley db", []layertest.Entry{layertest.File("var/lib/rpm/Packages", "bdb")}, "rpm: /var/lib/rpm/Packages: malformed rpm database: not a Berkeley DB hash database: unexpected DB magic number: 0", 0},
		{"scratch", []layertest.Entry{layertest.File("hello.txt", "hi")}, "", 0},
		{"corrupt dpkg", []layertest.Entry{layertest.File("var/lib/dpkg/status", "Package: a\nVersion: 1\n\x00\n")}, `dpkg: /var/lib/dpkg/status:3: not a field: "\x00"`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Catalog(context.Background(), imagetest.Image(t, v1.Config{}, created, layertest.Layer(t, tt.layer...)))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(s.Errors, "\n"); got != tt.errs {
				t.Errorf("errors %q, want %q", got, tt.errs)
			}
			if len(s.Packages) != tt.packages {
				t.Errorf("%d packages, want %d", len(s.Packages), tt.packages)
			}
			if s.OS.ID != "" {
				t.Errorf("OS = %+v, want none", s.OS)
			}
		})
	}
}

func TestCatalogCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	img := imagetest.Image(t, v1.Config{}, created, layertest.Layer(t, layertest.File("var/lib/dpkg/status", string(testdata(t, "dpkg/status")))))
	if _, err := Catalog(ctx, img); err == nil {
		t.Error("no error from a cancelled context")
	}
	if _, err := Catalog(context.Background(), nil); err == nil {
		t.Error("no error for a nil image")
	}
}

// A root filesystem read by a user who may not read all of it: the
// packages of what could be read are listed, and what could not is
// returned once, as paths, never also as a cataloger's error.
func TestCatalogUnreadable(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{
		"etc/os-release":              "ID=debian\nVERSION_ID=\"12\"\n",
		"etc/shadow":                  "root:*:19000:0:99999:7:::\n",
		"root/.aws/credentials":       "[default]\n",
		"var/lib/dpkg/status":         "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.11\n",
		"var/lib/dpkg/status.d/extra": "Package: tzdata\nArchitecture: all\nVersion: 2024a\n",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name       string
		deny       []string
		packages   string
		unreadable string
	}{
		// The catalog reads no shadow file: only the directory is its concern.
		{"directory and other file", []string{"/root", "/etc/shadow"}, "libssl3@3.0.11/Debian:12 tzdata@2024a/Debian:12", "/root dir=true"},
		{"one package database file", []string{"/var/lib/dpkg/status.d/extra"}, "libssl3@3.0.11/Debian:12", "/var/lib/dpkg/status.d/extra dir=false"},
		{"os-release", []string{"/etc/os-release"}, "libssl3@3.0.11/ tzdata@2024a/", "/etc/os-release dir=false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Catalog(context.Background(), imagetest.Unreadable(t, root, tc.deny...))
			unread, err := image.Unreadable(err)
			if err != nil || s == nil {
				t.Fatalf("SBOM %v, err %v", s, err)
			}
			var got []string
			for _, r := range unread {
				got = append(got, fmt.Sprintf("%s dir=%v", r.Path, r.Dir))
			}
			if g := strings.Join(got, ", "); g != tc.unreadable {
				t.Errorf("unreadable %q, want %q", g, tc.unreadable)
			}
			if len(s.Errors) > 0 {
				t.Errorf("errors %q repeat the unreadable paths", s.Errors)
			}
			var names []string
			for _, p := range s.Packages {
				names = append(names, p.Name+"@"+p.Version+"/"+p.Ecosystem)
			}
			if got := strings.Join(names, " "); got != tc.packages {
				t.Errorf("packages %s, want %s", got, tc.packages)
			}
		})
	}
}

func TestOnlyUnreadable(t *testing.T) {
	read := &image.ReadError{Path: "/var/lib/dpkg/status.d/x", Err: fs.ErrPermission}
	parse := errors.New("status: line 3: no Package field")
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"a read error", read, true},
		{"wrapped", fmt.Errorf("dpkg: %w", read), true},
		{"joined read errors", errors.Join(read, read), true},
		{"a parse error", parse, false},
		{"read and parse joined", errors.Join(read, parse), false},
		{"read and parse joined, wrapped", fmt.Errorf("dpkg: %w", errors.Join(read, parse)), false},
	} {
		if got := onlyUnreadable(tc.err); got != tc.want {
			t.Errorf("%s: onlyUnreadable = %v, want %v", tc.name, got, tc.want)
		}
	}
}
