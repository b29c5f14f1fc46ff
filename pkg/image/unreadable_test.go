package image_test

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/fixity-sec/fixity/pkg/image/imagetest"
)

// writeTree writes files (path: content; a path ending in / is a
// directory, "-> target" a symlink) under a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case strings.HasSuffix(name, "/"):
			err = os.MkdirAll(p, 0o755)
		case strings.HasPrefix(body, "-> "):
			err = os.Symlink(strings.TrimPrefix(body, "-> "), p)
		default:
			err = os.WriteFile(p, []byte(body), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// tree is a root filesystem with what a user other than root may not read
// on every real system: /root and /etc/shadow.
var tree = map[string]string{
	"etc/os-release":        "ID=debian\n",
	"etc/shadow":            "root:*:19000:0:99999:7:::\n",
	"etc/shadow.link":       "-> shadow",
	"root/.aws/credentials": "[default]\n",
	"usr/bin/tool":          "ELF",
}

// unreadable renders what an *IncompleteError lists, one path a line.
func unreadable(t *testing.T, err error) []string {
	t.Helper()
	var inc *image.IncompleteError
	if !errors.As(err, &inc) {
		t.Fatalf("err = %v, want an *IncompleteError", err)
	}
	var out []string
	for _, r := range inc.Unreadable {
		if !errors.Is(r, fs.ErrPermission) {
			t.Errorf("%s: %v is not a permission error", r.Path, r.Err)
		}
		out = append(out, fmt.Sprintf("%s dir=%v: %v", r.Path, r.Dir, r.Err))
	}
	return out
}

func diffLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// walkAll walks img reading every regular file, and returns the paths
// visited and the paths whose content failed with a *ReadError.
func walkAll(t *testing.T, img *image.Image, read bool) (visited, failed []string, err error) {
	t.Helper()
	err = image.Walk(context.Background(), img, func(f image.File) error {
		visited = append(visited, f.Path)
		if !read || f.Type != tar.TypeReg {
			return nil
		}
		if _, err := io.ReadAll(f.Content); err != nil {
			var re *image.ReadError
			if !errors.As(err, &re) || re.Path != f.Path {
				return fmt.Errorf("%s: read error %v is not the file's ReadError", f.Path, err)
			}
			failed = append(failed, f.Path)
		}
		return nil
	})
	sort.Strings(visited)
	return visited, failed, err
}

// A directory that cannot be listed is visited with nothing under it, a
// file that cannot be read fails its reader only, and Walk goes on and
// lists both once at the end: only what the caller tried to read.
func TestWalkUnreadable(t *testing.T) {
	root := writeTree(t, tree)
	img := imagetest.Unreadable(t, root, "/root", "/etc/shadow")
	for _, tc := range []struct {
		name       string
		read       bool
		failed     []string
		unreadable []string
	}{
		{"reading every file", true, []string{"/etc/shadow"}, []string{
			"/etc/shadow dir=false: permission denied",
			"/root dir=true: permission denied",
		}},
		// A file nobody reads is nobody's problem: only the directory.
		{"reading nothing", false, nil, []string{"/root dir=true: permission denied"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			visited, failed, err := walkAll(t, img, tc.read)
			diffLines(t, unreadable(t, err), tc.unreadable)
			diffLines(t, failed, tc.failed)
			diffLines(t, visited, []string{
				"/etc", "/etc/os-release", "/etc/shadow", "/etc/shadow.link",
				"/root", "/usr", "/usr/bin", "/usr/bin/tool",
			})
		})
	}
}

// A root that cannot be listed at all is no partial scan: nothing could be
// read.
func TestWalkUnreadableRoot(t *testing.T) {
	img := imagetest.Unreadable(t, writeTree(t, tree), "/")
	_, _, err := walkAll(t, img, true)
	var inc *image.IncompleteError
	if err == nil || errors.As(err, &inc) || !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("err = %v, want the root's permission error", err)
	}
}

// Squash gives the filesystem it could read with the unreadable paths,
// once each, whether the first pass or the second (a selected symlink's
// target) met them; ReadFile of such a file says why.
func TestSquashUnreadable(t *testing.T) {
	root := writeTree(t, tree)
	for _, tc := range []struct {
		name     string
		selected []string
		read     map[string]string // path: content, or "error"
		want     []string
	}{
		{"selected file", []string{"/etc/shadow", "/etc/os-release"},
			map[string]string{"/etc/shadow": "error", "/etc/os-release": "ID=debian\n"},
			[]string{"/etc/shadow dir=false: permission denied", "/root dir=true: permission denied"}},
		{"selected symlink to it", []string{"/etc/shadow.link"},
			map[string]string{"/etc/shadow.link": "error"},
			[]string{"/etc/shadow dir=false: permission denied", "/root dir=true: permission denied"}},
		{"nothing selected", nil, nil, []string{"/root dir=true: permission denied"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := imagetest.Unreadable(t, root, "/root", "/etc/shadow")
			sel := map[string]bool{}
			for _, p := range tc.selected {
				sel[p] = true
			}
			s, err := image.Squash(context.Background(), img, image.WithContent(func(p string, _ *tar.Header) bool { return sel[p] }))
			diffLines(t, unreadable(t, err), tc.want)
			if s == nil {
				t.Fatal("no filesystem beside the IncompleteError")
			}
			for p, want := range tc.read {
				b, err := s.ReadFile(p)
				var re *image.ReadError
				switch {
				case want == "error" && (!errors.As(err, &re) || re.Path != "/etc/shadow" || !errors.Is(err, fs.ErrPermission)):
					t.Errorf("ReadFile(%s) = %q, %v; want /etc/shadow's ReadError", p, b, err)
				case want != "error" && (err != nil || string(b) != want):
					t.Errorf("ReadFile(%s) = %q, %v; want %q", p, b, err, want)
				}
			}
			if _, ok := s.Stat("/root"); !ok {
				t.Error("/root itself is not in the filesystem")
			}
			if _, ok := s.Stat("/root/.aws"); ok {
				t.Error("/root/.aws was read")
			}
		})
	}
}

// The same with real file modes, which hold only for a user other than
// root.
func TestWalkUnreadableChmod(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	root := writeTree(t, tree)
	for _, p := range []string{"root", "etc/shadow"} {
		full := filepath.Join(root, p)
		if err := os.Chmod(full, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(full, 0o755) }) // so that the directory can be removed
	}
	img, err := image.FromRootFS(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	visited, failed, err := walkAll(t, img, true)
	diffLines(t, unreadable(t, err), []string{
		"/etc/shadow dir=false: permission denied",
		"/root dir=true: permission denied",
	})
	diffLines(t, failed, []string{"/etc/shadow"})
	if strings.Contains(strings.Join(visited, " "), "/root/") {
		t.Errorf("walked under /root: %v", visited)
	}
}
