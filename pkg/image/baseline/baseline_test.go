package baseline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/fixity-sec/fixity/pkg/image/imagetest"
	"github.com/fixity-sec/fixity/pkg/image/layertest"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// created is the creation time of every test image.
var created = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// A tiny ELF header: magic, 64-bit, little-endian, version 1.
const elf = "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// testImage has every case the baseline must get right, in three layers.
func testImage(t testing.TB) *image.Image {
	base := layertest.Layer(t,
		layertest.Dir("bin/"), layertest.Dir("usr/"), layertest.Dir("usr/bin/"), layertest.Dir("usr/lib/"), layertest.Dir("usr/local/"), layertest.Dir("usr/local/bin/"), layertest.Dir("etc/"),
		layertest.Exe("bin/sh", elf+"sh"),
		layertest.Hardlink("usr/bin/sh2", "bin/sh"),
		layertest.Symlink("usr/bin/ls", "/bin/sh"),
		layertest.Exe("usr/bin/app", elf+"app v1"),
		layertest.Exe("usr/bin/old", elf+"old"),
		layertest.WithMode(layertest.File("usr/bin/passwd", elf+"passwd"), 0o4755),
		layertest.Exe("usr/local/bin/run.sh", "#!/bin/sh\necho hi\n"),
		layertest.WithMode(layertest.File("usr/local/bin/tool.py", "#!  /usr/bin/env python3 -u\nprint(1)\n"), 0o750),
		layertest.WithMode(layertest.File("usr/local/bin/noshebang", "echo hi\n"), 0o700),
		layertest.Exe("usr/lib/x", elf+"x v1"),
		layertest.Hardlink("usr/lib/y", "usr/lib/x"),
		layertest.File("etc/config", "#!/bin/sh\nnot executable\n"),
	)
	build := layertest.Layer(t,
		layertest.Dir("usr/"), layertest.Dir("usr/bin/"), layertest.Dir("usr/lib/"), layertest.Dir("opt/"),
		layertest.Exe("usr/bin/app", elf+"app v2"),
		layertest.Exe("usr/lib/x", elf+"x v2"),
		layertest.Exe("opt/installer", "#!/bin/bash\n"),
		layertest.Whiteout("usr/bin/.wh.old"),
	)
	cleanup := layertest.Layer(t,
		layertest.Whiteout(".wh.opt"),
		layertest.Exe("usr/bin/app", elf+"app v3"),
		layertest.File("usr/bin/app", "now data"), // a later entry in the same layer wins
	)
	cfg := v1.Config{
		User:         "65532:65532",
		Entrypoint:   []string{"/usr/bin/app"},
		Cmd:          []string{"--serve"},
		ExposedPorts: map[string]struct{}{"8443/tcp": {}, "80/tcp": {}},
		Volumes:      map[string]struct{}{"/data": {}},
	}
	return imagetest.Image(t, cfg, created, base, build, cleanup)
}

func build(t *testing.T, img *image.Image) []byte {
	t.Helper()
	b, err := Build(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	img := testImage(t)
	got := build(t, img)
	// The digest depends on how go-containerregistry compresses layers;
	// the golden file names it by a placeholder.
	got = bytes.ReplaceAll(got, []byte(img.Digest), []byte("sha256:DIGEST"))
	got = bytes.ReplaceAll(got, []byte(img.ID), []byte("sha256:CONFIG"))
	golden := filepath.Join("testdata", "baseline.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("baseline differs from %s (go test -update to accept)\n--- got\n%s", golden, got)
	}
}

func TestDeterministic(t *testing.T) {
	img := testImage(t)
	first := build(t, img)
	for i := 0; i < 3; i++ {
		if again := build(t, img); !bytes.Equal(first, again) {
			t.Fatalf("build %d differs:\n%s\n---\n%s", i+2, first, again)
		}
	}
	// A second image built from the same inputs has the same baseline.
	other := testImage(t)
	if other.Digest != testImage(t).Digest {
		t.Skip("layer compression is not reproducible here")
	}
	if again := build(t, other); !bytes.Equal(first, again) {
		t.Errorf("same image built twice, different baselines")
	}
}

func TestKinds(t *testing.T) {
	b, err := Build(context.Background(), testImage(t))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range b.Executables {
		got[e.Path] = e.Kind + " " + e.Interpreter + " " + e.Mode + " " + e.SHA256
	}
	want := map[string]string{
		"/bin/sh":                  "elf  0755 " + sum(elf+"sh"),
		"/usr/bin/sh2":             "elf  0755 " + sum(elf+"sh"),
		"/usr/bin/passwd":          "elf  4755 " + sum(elf+"passwd"),
		"/usr/local/bin/run.sh":    "script /bin/sh 0755 " + sum("#!/bin/sh\necho hi\n"),
		"/usr/local/bin/tool.py":   "script /usr/bin/env 0750 " + sum("#!  /usr/bin/env python3 -u\nprint(1)\n"),
		"/usr/local/bin/noshebang": "other  0700 " + sum("echo hi\n"),
		"/usr/lib/x":               "elf  0755 " + sum(elf+"x v2"),
		// The link was written with the first x; replacing x later does
		// not change the bytes the link names.
		"/usr/lib/y": "elf  0755 " + sum(elf+"x v1"),
	}
	if len(got) != len(want) {
		t.Errorf("got %d executables, want %d: %v", len(got), len(want), got)
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: got %q, want %q", p, got[p], w)
		}
	}
}

func TestReadAllows(t *testing.T) {
	img := testImage(t)
	raw := build(t, img)
	b, err := Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := b.Write(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, again.Bytes()) {
		t.Errorf("Read then Write changed the document")
	}
	sh := sum(elf + "sh")
	hand := &Baseline{Executables: []Executable{{Path: "/bin/sh", SHA256: sh}}}
	tests := []struct {
		path, sum string
		want      bool
	}{
		{"/bin/sh", sh, true},
		{"bin/sh", "sha256:" + sh, true},
		{"/bin/../bin/sh", strings.ToUpper(sh), true},
		{"/bin/sh", sum("other"), false},
		{"/usr/bin/ls", sh, false}, // a symlink is not an executable of its own
		{"/usr/bin/old", sum(elf + "old"), false},
		{"/opt/installer", sum("#!/bin/bash\n"), false},
		{"/etc/config", sum("#!/bin/sh\nnot executable\n"), false},
		{"/bin/sh", "", false},
	}
	for _, tt := range tests {
		if got := b.Allows(tt.path, tt.sum); got != tt.want {
			t.Errorf("Allows(%q, %q) = %v, want %v", tt.path, tt.sum, got, tt.want)
		}
		if tt.path == "/bin/sh" || tt.path == "bin/sh" {
			if got := hand.Allows(tt.path, tt.sum); got != tt.want {
				t.Errorf("hand-made: Allows(%q, %q) = %v, want %v", tt.path, tt.sum, got, tt.want)
			}
		}
	}
}

func TestReadErrors(t *testing.T) {
	sh := sum("x")
	tests := []struct{ name, doc, want string }{
		{"not json", "{", "baseline: unexpected EOF"},
		{"wrong schema", `{"schema":"fixity.baseline/v0"}`, `schema "fixity.baseline/v0"`},
		{"relative path", `{"schema":"fixity.baseline/v1","executables":[{"path":"bin/sh","sha256":"` + sh + `"}]}`, "not absolute and clean"},
		{"bad digest", `{"schema":"fixity.baseline/v1","executables":[{"path":"/bin/sh","sha256":"abc"}]}`, "not 64 lower-case hex"},
		{"twice", `{"schema":"fixity.baseline/v1","executables":[{"path":"/bin/sh","sha256":"` + sh + `"},{"path":"/bin/sh","sha256":"` + sh + `"}]}`, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Build(context.Background(), nil); err == nil {
		t.Error("Build(nil): no error")
	}
	dangling := imagetest.Image(t, v1.Config{}, created, layertest.Layer(t, layertest.Hardlink("a", "missing")))
	if _, err := Build(context.Background(), dangling); err == nil || !strings.Contains(err.Error(), "hard link to /missing") {
		t.Errorf("dangling hard link: err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, testImage(t)); err == nil {
		t.Error("cancelled: no error")
	}
}

// An executable that could not be read has no hash to record: it is left
// out of the baseline, and said to be, with a hard link to it and the
// directory that could not be listed.
func TestUnreadable(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{
		"usr/bin/a":      elf + "a",
		"usr/bin/c":      elf + "c",
		"root/bin/admin": elf + "admin",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Link(filepath.Join(root, "usr/bin/a"), filepath.Join(root, "usr/bin/b")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		deny        []string
		executables string
		unreadable  string
	}{
		{"all readable", nil, "/root/bin/admin /usr/bin/a /usr/bin/b /usr/bin/c", ""},
		{"an executable and a directory", []string{"/usr/bin/a", "/root"}, "/usr/bin/c",
			"/root dir=true: permission denied, /usr/bin/a dir=false: permission denied, /usr/bin/b dir=false: permission denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Build(context.Background(), imagetest.Unreadable(t, root, tc.deny...))
			unread, err := image.Unreadable(err)
			if err != nil || b == nil {
				t.Fatalf("baseline %v, err %v", b, err)
			}
			var got []string
			for _, e := range b.Executables {
				got = append(got, e.Path)
			}
			if g := strings.Join(got, " "); g != tc.executables {
				t.Errorf("executables %s, want %s", g, tc.executables)
			}
			got = nil
			for _, r := range unread {
				got = append(got, fmt.Sprintf("%s dir=%v: %v", r.Path, r.Dir, r.Err))
			}
			if g := strings.Join(got, ", "); g != tc.unreadable {
				t.Errorf("unreadable %s, want %s", g, tc.unreadable)
			}
		})
	}
}
