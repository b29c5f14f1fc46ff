package image

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/image/layertest"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// The layer builders are layertest's, under short names.
var (
	dir       = layertest.Dir
	file      = layertest.File
	symlink   = layertest.Symlink
	hardlink  = layertest.Hardlink
	whiteout  = layertest.Whiteout
	withMode  = layertest.WithMode
	withOwner = layertest.WithOwner
	tarBytes  = layertest.Tar
	layerOf   = layertest.Layer
)

// goldenLayers is a small root filesystem in three layers exercising
// everything the squash must get right.
func goldenLayers(t testing.TB) []v1.Layer {
	base := layerOf(t,
		dir("etc/"),
		symlink("etc/os-release", "../usr/lib/os-release"),
		file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
		file("etc/motd", "hello\n"),
		dir("usr/"), dir("usr/lib/"),
		file("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
		dir("usr/bin/"),
		withOwner(withMode(file("usr/bin/passwd", "ELF-passwd"), 0o4755), 0, 0),
		withMode(file("usr/bin/su", "ELF-su"), 0o755),
		dir("usr/sbin/"),
		hardlink("usr/sbin/su2", "usr/bin/su"),
		withMode(dir("root/"), 0o700), withMode(dir("root/.ssh/"), 0o700),
		withMode(file("root/.ssh/id_rsa", "-----BEGIN PRIVATE KEY-----\n"), 0o600),
		dir("opt/"), dir("opt/app/"),
		file("opt/app/old.conf", "old"),
		dir("srv/"), file("srv/data", "data"),
		dir("var/"), dir("var/lib/"), dir("var/lib/dpkg/"),
		file("var/lib/dpkg/status", "Package: base\n"),
		withMode(dir("tmp/"), 0o1777), file("tmp/build.log", "secret=hunter2"),
	)
	mid := layerOf(t,
		whiteout("root/.ssh/.wh.id_rsa"),
		dir("opt/app/"),
		whiteout("opt/app/.wh..wh..opq"),
		file("opt/app/new.conf", "new"),
		file("var/lib/dpkg/status", "Package: base\n\nPackage: curl\n"),
		symlink("srv", "opt/app"),
	)
	top := layerOf(t,
		dir("usr/"), dir("usr/bin/"),
		withOwner(withMode(file("usr/bin/newtool", "ELF-newtool"), 0o2755), 0, 50),
		whiteout("etc/.wh.nothing-here"),
		whiteout(".wh.tmp"),
		whiteout("etc/.wh.motd"),
	)
	return []v1.Layer{base, mid, top}
}

// wantTree is the squashed goldenLayers, one line per path.
var wantTree = []string{
	"/etc d drwxr-xr-x 0:0 0 ",
	"/etc/os-release l Lrwxrwxrwx 0:0 21 ../usr/lib/os-release",
	"/etc/passwd - -rw-r--r-- 0:0 30 ",
	"/opt d drwxr-xr-x 0:0 0 ",
	"/opt/app d drwxr-xr-x 0:0 0 ",
	"/opt/app/new.conf - -rw-r--r-- 0:0 3 ",
	"/root d drwx------ 0:0 0 ",
	"/root/.ssh d drwx------ 0:0 0 ",
	"/srv l Lrwxrwxrwx 0:0 7 opt/app",
	"/usr d drwxr-xr-x 0:0 0 ",
	"/usr/bin d drwxr-xr-x 0:0 0 ",
	"/usr/bin/newtool - grwxr-xr-x 0:50 11 ",
	"/usr/bin/passwd - urwxr-xr-x 0:0 10 ",
	"/usr/bin/su - -rwxr-xr-x 0:0 6 ",
	"/usr/lib d drwxr-xr-x 0:0 0 ",
	"/usr/lib/os-release - -rw-r--r-- 0:0 26 ",
	"/usr/sbin d drwxr-xr-x 0:0 0 ",
	"/usr/sbin/su2 h -rwxr-xr-x 0:0 0 /usr/bin/su",
	"/var d drwxr-xr-x 0:0 0 ",
	"/var/lib d drwxr-xr-x 0:0 0 ",
	"/var/lib/dpkg d drwxr-xr-x 0:0 0 ",
	"/var/lib/dpkg/status - -rw-r--r-- 0:0 29 ",
}

func typeChar(t byte) string {
	switch t {
	case tar.TypeDir:
		return "d"
	case tar.TypeSymlink:
		return "l"
	case tar.TypeLink:
		return "h"
	case tar.TypeReg:
		return "-"
	}
	return string(rune(t))
}

func treeLines(s *FS) []string {
	var out []string
	for _, e := range s.Entries() {
		out = append(out, fmt.Sprintf("%s %s %s %d:%d %d %s", e.Path, typeChar(e.Type), e.Mode, e.UID, e.GID, e.Size, e.Link))
	}
	return out
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	t.Errorf("tree mismatch\n--- got\n%s\n--- want\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
}

func goldenImage(t testing.TB, arch string, extra ...v1.Layer) v1.Image {
	t.Helper()
	img, err := mutate.AppendLayers(empty.Image, append(goldenLayers(t), extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", arch
	cf.Created = v1.Time{Time: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	cf.Config.User = "app"
	cf.Config.Entrypoint = []string{"/usr/bin/newtool"}
	cf.Config.Cmd = []string{"--serve"}
	cf.Config.Env = []string{"PATH=/usr/bin"}
	cf.Config.ExposedPorts = map[string]struct{}{"8443/tcp": {}, "80/tcp": {}}
	cf.Config.Volumes = map[string]struct{}{"/data": {}}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// newRegistry serves go-containerregistry's in-process registry.
func newRegistry(t testing.TB) (host string, srv *httptest.Server) {
	t.Helper()
	srv = httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), srv
}

// writeRootFS writes the squashed golden tree as a directory.
func writeRootFS(t *testing.T, root string) {
	t.Helper()
	mk := func(p string, mode fs.FileMode) {
		if err := os.MkdirAll(filepath.Join(root, p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Join(root, p), mode); err != nil {
			t.Fatal(err)
		}
	}
	wr := func(p, body string, mode fs.FileMode) {
		if err := os.WriteFile(filepath.Join(root, p), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Join(root, p), mode); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"etc", "opt", "opt/app", "usr", "usr/bin", "usr/lib", "usr/sbin", "var", "var/lib", "var/lib/dpkg"} {
		mk(d, 0o755)
	}
	mk("root", 0o700)
	mk("root/.ssh", 0o700)
	wr("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0o644)
	wr("opt/app/new.conf", "new", 0o644)
	wr("usr/bin/newtool", "ELF-newtool", 0o755|fs.ModeSetgid)
	wr("usr/bin/passwd", "ELF-passwd", 0o755|fs.ModeSetuid)
	wr("usr/bin/su", "ELF-su", 0o755)
	wr("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n", 0o644)
	wr("var/lib/dpkg/status", "Package: base\n\nPackage: curl\n", 0o644)
	if err := os.Link(filepath.Join(root, "usr/bin/su"), filepath.Join(root, "usr/sbin/su2")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../usr/lib/os-release", filepath.Join(root, "etc/os-release")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("opt/app", filepath.Join(root, "srv")); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(filepath.Join(root, "usr/bin/newtool"), 0, 50); err != nil {
			t.Fatal(err)
		}
		// chown clears setgid: set it again.
		wr("usr/bin/newtool", "ELF-newtool", 0o755|fs.ModeSetgid)
	}
}

// rootfsTree adapts wantTree to a directory written by a non-root user:
// every path belongs to that user.
func rootfsTree() []string {
	if os.Geteuid() == 0 {
		return wantTree
	}
	uid, gid := os.Geteuid(), os.Getegid()
	out := make([]string, len(wantTree))
	for i, l := range wantTree {
		f := strings.SplitN(l, " ", 6)
		f[3] = fmt.Sprintf("%d:%d", uid, gid)
		out[i] = strings.Join(f, " ")
	}
	sort.Strings(out)
	return out
}
