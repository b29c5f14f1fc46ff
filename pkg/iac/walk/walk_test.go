package walk

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/finding"
)

// tree writes files under a fresh temporary directory and returns it. A
// name ending in "/" is an empty directory.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links not available: %v", err)
	}
}

func rels(res *Result) []string {
	out := []string{}
	for _, f := range res.Files {
		out = append(out, f.Rel)
	}
	return out
}

func notes(res *Result) []string {
	out := []string{}
	for _, n := range res.Notes {
		out = append(out, n.File+": "+n.Message)
	}
	return out
}

func isTF(rel string) bool { return strings.HasSuffix(rel, ".tf") }

// standard is a small repository with every kind of file a walk meets.
var standard = map[string]string{
	"main.tf":                      "resource {}",
	"b.tf":                         "",
	"a.tf":                         "",
	"a/z.tf":                       "",
	"README.md":                    "# readme",
	"prod.tfvars":                  "x = 1",
	"env/prod/terraform.tfvars":    "x = 2",
	"env/prod/main.tf":             "",
	"legacy/old.tf":                "",
	"legacy/deep/older.tf":         "",
	"modules/net/main.tf":          "",
	"modules/net/modules/sg/sg.tf": "",
	"stacks/app/modules/db/db.tf":  "",
	"stacks/app/modules/db.tf":     "",
	"stacks/app/main.tf":           "",
	".git/config":                  "[core]",
	".terraform/modules/m/main.tf": "",
	"node_modules/x/index.tf":      "",
	".hg/store.tf":                 "",
	".svn/entries.tf":              "",
	".terragrunt-cache/abc/x.tf":   "",
	".github/workflows/ci.yml":     "on: push",
	"node_modules.tf":              "", // a file, not the directory
	"empty/":                       "",
}

func TestWalk(t *testing.T) {
	root := tree(t, standard)
	tests := []struct {
		name    string
		opts    Options
		want    []string
		wantErr bool
	}{
		{
			name: "everything, depth first in lexical order, vendored trees skipped",
			want: []string{
				".github/workflows/ci.yml",
				"README.md",
				"a/z.tf", // directory "a" sorts before the file "a.tf"
				"a.tf",
				"b.tf",
				"env/prod/main.tf",
				"env/prod/terraform.tfvars",
				"legacy/deep/older.tf",
				"legacy/old.tf",
				"main.tf",
				"modules/net/main.tf",
				"modules/net/modules/sg/sg.tf",
				"node_modules.tf",
				"prod.tfvars",
				"stacks/app/main.tf",
				"stacks/app/modules/db/db.tf",
				"stacks/app/modules/db.tf",
			},
		},
		{
			name: "match",
			opts: Options{Match: isTF},
			want: []string{
				"a/z.tf", "a.tf", "b.tf", "env/prod/main.tf", "legacy/deep/older.tf", "legacy/old.tf", "main.tf",
				"modules/net/main.tf", "modules/net/modules/sg/sg.tf", "node_modules.tf",
				"stacks/app/main.tf", "stacks/app/modules/db/db.tf", "stacks/app/modules/db.tf",
			},
		},
		{
			name: "exclude legacy/**",
			opts: Options{Match: isTF, Exclude: []string{"legacy/**"}},
			want: []string{
				"a/z.tf", "a.tf", "b.tf", "env/prod/main.tf", "main.tf",
				"modules/net/main.tf", "modules/net/modules/sg/sg.tf", "node_modules.tf",
				"stacks/app/main.tf", "stacks/app/modules/db/db.tf", "stacks/app/modules/db.tf",
			},
		},
		{
			// Patterns are matched against the whole relative path, so a
			// pattern without a slash names top-level entries only.
			name: "exclude *.tfvars",
			opts: Options{Exclude: []string{"*.tfvars"}, Match: func(rel string) bool { return strings.HasSuffix(rel, ".tfvars") }},
			want: []string{"env/prod/terraform.tfvars"},
		},
		{
			name: "exclude **/*.tfvars",
			opts: Options{Exclude: []string{"**/*.tfvars"}, Match: func(rel string) bool { return strings.HasSuffix(rel, ".tfvars") }},
			want: []string{},
		},
		{
			name: "exclude a directory by name",
			opts: Options{Match: isTF, Exclude: []string{"modules", "stacks/", "./env"}},
			want: []string{
				"a/z.tf", "a.tf", "b.tf", "legacy/deep/older.tf", "legacy/old.tf", "main.tf", "node_modules.tf",
			},
		},
		{
			name: "exclude **/modules/*",
			opts: Options{Match: isTF, Exclude: []string{"**/modules/*"}},
			want: []string{
				"a/z.tf", "a.tf", "b.tf", "env/prod/main.tf", "legacy/deep/older.tf", "legacy/old.tf", "main.tf",
				"node_modules.tf", "stacks/app/main.tf",
			},
		},
		{
			name: "exclude single files",
			opts: Options{Match: isTF, Exclude: []string{"a.tf", "*/z.tf", "**/older.tf", "[mn]*"}},
			want: []string{"b.tf", "env/prod/main.tf", "legacy/old.tf", "stacks/app/main.tf", "stacks/app/modules/db/db.tf", "stacks/app/modules/db.tf"},
		},
		{
			name: "bad pattern excludes nothing",
			opts: Options{Match: isTF, Exclude: []string{"[", "legacy/["}},
			want: []string{
				"a/z.tf", "a.tf", "b.tf", "env/prod/main.tf", "legacy/deep/older.tf", "legacy/old.tf", "main.tf",
				"modules/net/main.tf", "modules/net/modules/sg/sg.tf", "node_modules.tf",
				"stacks/app/main.tf", "stacks/app/modules/db/db.tf", "stacks/app/modules/db.tf",
			},
		},
		{
			name: "exclude everything",
			opts: Options{Exclude: []string{"**"}},
			want: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Walk(context.Background(), root, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := rels(res); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("files =\n%q\nwant\n%q", got, tt.want)
			}
			if len(res.Notes) != 0 {
				t.Errorf("notes = %q, want none", notes(res))
			}
			for _, f := range res.Files {
				if want := filepath.Join(root, filepath.FromSlash(f.Rel)); f.Abs != want {
					t.Errorf("%s: Abs = %q, want %q", f.Rel, f.Abs, want)
				}
			}
		})
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, rel string
		want         bool
	}{
		{"main.tf", "main.tf", true},
		{"main.tf", "sub/main.tf", false},
		{"*.tf", "main.tf", true},
		{"*.tf", "sub/main.tf", false},
		{"*.tfvars", "prod.tfvars", true},
		{"*.tfvars", "env/prod.tfvars", false},
		{"**/*.tfvars", "prod.tfvars", true},
		{"**/*.tfvars", "env/prod/prod.tfvars", true},
		{"legacy/**", "legacy", true},
		{"legacy/**", "legacy/old.tf", true},
		{"legacy/**", "legacy/a/b/c.tf", true},
		{"legacy/**", "legacyx/old.tf", false},
		{"legacy/**", "src/legacy/old.tf", false},
		{"legacy", "legacy/a/b.tf", true}, // a directory pattern covers its contents
		{"legacy/", "legacy/a.tf", true},
		{"./legacy", "legacy/a.tf", true},
		{"legacy", "legacy.tf", false},
		{"leg*", "legacy/a.tf", true},
		{"**/modules/*", "modules/net", true},
		{"**/modules/*", "modules/net/main.tf", true},
		{"**/modules/*", "a/b/modules/net/main.tf", true},
		{"**/modules/*", "a/modules", false},
		{"**/modules/*", "modules", false},
		{"a/**/b", "a/b", true},
		{"a/**/b", "a/x/y/b", true},
		{"a/**/b", "a/x/y/c", false},
		{"**", "", true},
		{"**", "anything/at/all", true},
		{"sandbox/*.tf", "sandbox/x.tf", true},
		{"sandbox/*.tf", "sandbox/sub/x.tf", false},
		{"?.tf", "a.tf", true},
		{"?.tf", "ab.tf", false},
		{"[ab].tf", "b.tf", true},
		{"[", "[", false}, // malformed patterns match nothing
		{"", "main.tf", false},
		{"*", "a/b", true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s~%s", tt.pattern, tt.rel), func(t *testing.T) {
			if got := Match(tt.pattern, tt.rel); got != tt.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.rel, got, tt.want)
			}
		})
	}
}

func TestWalkSkips(t *testing.T) {
	tests := []struct {
		name      string
		files     map[string]string
		setup     func(t *testing.T, root string)
		opts      Options
		want      []string
		wantNotes []string
	}{
		{
			name:      "binary file",
			files:     map[string]string{"a.tf": "x", "bin.tf": "resource\x00junk", "c.tf": "y"},
			want:      []string{"a.tf", "c.tf"},
			wantNotes: []string{"bin.tf: skipped: binary file"},
		},
		{
			name:  "NUL after the first 8 KiB is not binary",
			files: map[string]string{"late.tf": strings.Repeat("a", 8<<10) + "\x00"},
			want:  []string{"late.tf"},
		},
		{
			name:      "NUL as the last byte of the first 8 KiB is binary",
			files:     map[string]string{"edge.tf": strings.Repeat("a", 8<<10-1) + "\x00"},
			want:      []string{},
			wantNotes: []string{"edge.tf: skipped: binary file"},
		},
		{
			name:  "empty file",
			files: map[string]string{"empty.tf": ""},
			want:  []string{"empty.tf"},
		},
		{
			name:      "file over MaxFileSize",
			files:     map[string]string{"big.tf": strings.Repeat("#", 101), "fits.tf": strings.Repeat("#", 100)},
			opts:      Options{MaxFileSize: 100},
			want:      []string{"fits.tf"},
			wantNotes: []string{"big.tf: skipped: 101 bytes is larger than the 100 byte limit"},
		},
		{
			name:  "files that do not match are not noted",
			files: map[string]string{"big.bin": strings.Repeat("#", 500), "nul.png": "\x00", "ok.tf": ""},
			opts:  Options{MaxFileSize: 100, Match: isTF},
			want:  []string{"ok.tf"},
		},
		{
			name:  "excluded files are not noted",
			files: map[string]string{"legacy/big.tf": strings.Repeat("#", 500), "legacy/nul.tf": "\x00", "ok.tf": ""},
			opts:  Options{MaxFileSize: 100, Exclude: []string{"legacy/**"}},
			want:  []string{"ok.tf"},
		},
		{
			name:  "symlink loop",
			files: map[string]string{"dir/a.tf": "", "top.tf": ""},
			setup: func(t *testing.T, root string) {
				symlink(t, "..", filepath.Join(root, "dir", "link"))
			},
			want:      []string{"dir/a.tf", "top.tf"},
			wantNotes: []string{"dir/link: skipped: symbolic link loop"},
		},
		{
			name:  "symlink to itself",
			files: map[string]string{"dir/a.tf": ""},
			setup: func(t *testing.T, root string) {
				symlink(t, ".", filepath.Join(root, "dir", "self"))
			},
			want:      []string{"dir/a.tf"},
			wantNotes: []string{"dir/self: skipped: symbolic link loop"},
		},
		{
			name:  "symlink cycle between two directories",
			files: map[string]string{"x/x.tf": "", "y/y.tf": ""},
			setup: func(t *testing.T, root string) {
				symlink(t, "../y", filepath.Join(root, "x", "to_y"))
				symlink(t, "../x", filepath.Join(root, "y", "to_x"))
			},
			// Each directory is walked once directly and once through the
			// other's link; the way back is a loop.
			want: []string{"x/to_y/y.tf", "x/x.tf", "y/to_x/x.tf", "y/y.tf"},
			wantNotes: []string{
				"x/to_y/to_x: skipped: symbolic link loop",
				"y/to_x/to_y: skipped: symbolic link loop",
			},
		},
		{
			name:  "symlinks to a file and a sibling directory are followed",
			files: map[string]string{"real/main.tf": "", "shared.tf": ""},
			setup: func(t *testing.T, root string) {
				symlink(t, "real", filepath.Join(root, "alias"))
				symlink(t, "shared.tf", filepath.Join(root, "link.tf"))
			},
			want: []string{"alias/main.tf", "link.tf", "real/main.tf", "shared.tf"},
		},
		{
			name:  "broken symlink",
			files: map[string]string{"a.tf": ""},
			setup: func(t *testing.T, root string) {
				symlink(t, "nowhere.tf", filepath.Join(root, "dangling.tf"))
			},
			want:      []string{"a.tf"},
			wantNotes: []string{"dangling.tf: skipped: broken symbolic link"},
		},
		{
			name:  "symlinked vendored directory is skipped",
			files: map[string]string{"vendor/x.tf": "", "a.tf": ""},
			setup: func(t *testing.T, root string) {
				symlink(t, "vendor", filepath.Join(root, ".terraform"))
			},
			want: []string{"a.tf", "vendor/x.tf"},
		},
		{
			name:  "vendored directories at any depth",
			files: map[string]string{"m/.terraform/x.tf": "", "m/a/.git/HEAD": "", "m/a/node_modules/p/x.tf": "", "m/a/b.tf": ""},
			want:  []string{"m/a/b.tf"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files)
			if tt.setup != nil {
				tt.setup(t, root)
			}
			done := make(chan struct{})
			var res *Result
			var err error
			go func() {
				defer close(done)
				res, err = Walk(context.Background(), root, tt.opts)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Walk did not return")
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := rels(res); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("files = %q, want %q", got, tt.want)
			}
			wantNotes := tt.wantNotes
			if wantNotes == nil {
				wantNotes = []string{}
			}
			if got := notes(res); !reflect.DeepEqual(got, wantNotes) {
				t.Errorf("notes = %q, want %q", got, wantNotes)
			}
		})
	}
}

func TestWalkDefaultMaxFileSize(t *testing.T) {
	root := tree(t, nil)
	f, err := os.Create(filepath.Join(root, "huge.tf"))
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: DefaultMaxFileSize+1 bytes without writing them.
	if err := f.Truncate(DefaultMaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	res, err := Walk(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []finding.Note{{File: "huge.tf", Message: "skipped: 10485761 bytes is larger than the 10485760 byte limit"}}
	if !reflect.DeepEqual(res.Notes, want) || len(res.Files) != 0 {
		t.Errorf("files %q, notes %+v; want none and %+v", rels(res), res.Notes, want)
	}
}

func TestWalkSingleFile(t *testing.T) {
	root := tree(t, map[string]string{"dir/main.tf": "x", "dir/bin.tf": "\x00", "dir/README": "x", "dir/big.tf": "1234"})
	symlink(t, filepath.Join("dir", "main.tf"), filepath.Join(root, "link.tf"))
	tests := []struct {
		name      string
		path      string
		opts      Options
		want      []File
		wantNotes []string
	}{
		{
			name: "text file",
			path: filepath.Join(root, "dir", "main.tf"),
			want: []File{{Rel: "main.tf", Abs: filepath.Join(root, "dir", "main.tf")}},
		},
		{
			name:      "binary file",
			path:      filepath.Join(root, "dir", "bin.tf"),
			want:      []File{},
			wantNotes: []string{"bin.tf: skipped: binary file"},
		},
		{
			name: "not matching",
			path: filepath.Join(root, "dir", "README"),
			opts: Options{Match: isTF},
			want: []File{},
		},
		{
			name:      "too big",
			path:      filepath.Join(root, "dir", "big.tf"),
			opts:      Options{MaxFileSize: 3},
			want:      []File{},
			wantNotes: []string{"big.tf: skipped: 4 bytes is larger than the 3 byte limit"},
		},
		{
			name: "symlink to a file",
			path: filepath.Join(root, "link.tf"),
			want: []File{{Rel: "link.tf", Abs: filepath.Join(root, "link.tf")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Walk(context.Background(), tt.path, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Files
			if got == nil {
				got = []File{}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("files = %+v, want %+v", got, tt.want)
			}
			wantNotes := tt.wantNotes
			if wantNotes == nil {
				wantNotes = []string{}
			}
			if n := notes(res); !reflect.DeepEqual(n, wantNotes) {
				t.Errorf("notes = %q, want %q", n, wantNotes)
			}
		})
	}
}

func TestWalkErrors(t *testing.T) {
	root := tree(t, map[string]string{"a/b/c.tf": "", "d.tf": ""})

	t.Run("missing root", func(t *testing.T) {
		missing := filepath.Join(root, "nope")
		res, err := Walk(context.Background(), missing, Options{})
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("err = %v, want fs.ErrNotExist", err)
		}
		if !strings.Contains(err.Error(), missing) {
			t.Errorf("err %q does not name the path", err)
		}
		if res != nil {
			t.Errorf("result = %+v, want nil", res)
		}
	})

	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		res, err := Walk(ctx, root, Options{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if res != nil {
			t.Errorf("result = %+v, want nil", res)
		}
	})

	// Match runs for every file; cancelling in it on the first file must
	// stop the walk before the next entry, in a flat directory too.
	for _, tc := range []struct {
		name  string
		files map[string]string
	}{
		{"flat directory", map[string]string{"a.tf": "", "b.tf": "", "c.tf": ""}},
		{"file after a subdirectory", map[string]string{"a/b/c.tf": "", "d.tf": ""}},
		{"subdirectory after a file", map[string]string{"a.tf": "", "b/c.tf": ""}},
	} {
		t.Run("cancelled while walking a "+tc.name, func(t *testing.T) {
			root := tree(t, tc.files)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var seen []string
			res, err := Walk(ctx, root, Options{Match: func(rel string) bool {
				seen = append(seen, rel)
				cancel()
				return true
			}})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v (result %+v), want context.Canceled", err, res)
			}
			if len(seen) != 1 {
				t.Errorf("Match saw %q after the cancel, want one file", seen)
			}
		})
	}

	t.Run("cancelled context with a file root", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		res, err := Walk(ctx, filepath.Join(root, "d.tf"), Options{})
		if !errors.Is(err, context.Canceled) || res != nil {
			t.Fatalf("Walk = %+v, %v; want nil, context.Canceled", res, err)
		}
	})

	t.Run("deadline exceeded", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		if _, err := Walk(ctx, root, Options{}); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
	})
}

// TestWalkUnreadableFile: a file the scan would read but cannot open is an
// error, not a note: a CI gate must not pass on code it could not read.
// An unreadable directory stays a note: it may hold anything (a database
// volume, another user's files), not necessarily code.
func TestWalkUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	root := tree(t, map[string]string{"ok.tf": "", "secret.tf": "", "README": "", "data/x.tf": ""})
	for _, name := range []string{"secret.tf", "README", "data"} {
		if err := os.Chmod(filepath.Join(root, name), 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(filepath.Join(root, name), 0o755) })
	}
	res, err := Walk(context.Background(), root, Options{Match: isTF})
	if err != nil {
		t.Fatal(err)
	}
	if got := rels(res); !reflect.DeepEqual(got, []string{"ok.tf"}) {
		t.Errorf("files %q, want ok.tf", got)
	}
	if len(res.Errors) != 1 || res.Errors[0].File != "secret.tf" || !strings.Contains(res.Errors[0].Message, "permission denied") {
		t.Errorf("errors %+v, want secret.tf: permission denied", res.Errors)
	}
	if got := notes(res); len(got) != 1 || !strings.HasPrefix(got[0], "data: skipped:") {
		t.Errorf("notes %q, want only the unreadable directory", got)
	}

	res, err = Walk(context.Background(), filepath.Join(root, "secret.tf"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 0 || len(res.Errors) != 1 || res.Errors[0].File != "secret.tf" {
		t.Errorf("single unreadable file: files %q, errors %+v", rels(res), res.Errors)
	}
}
