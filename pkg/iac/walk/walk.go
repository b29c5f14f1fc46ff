// Package walk finds the files a scan should read under a root directory. It
// is shared by every input format so that skipping rules (excluded paths,
// binary files, oversized files, symlink loops, vendored trees) are the same
// everywhere and each skip is reported as a note. A file that should be read
// but cannot be opened is an error.
package walk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
)

// DefaultMaxFileSize bounds the size of one input file. Infrastructure code
// larger than this is almost always generated data, not something to review.
const DefaultMaxFileSize = 10 << 20

// Options control a walk.
type Options struct {
	// Exclude holds glob patterns (path.Match syntax, plus "**" for any
	// number of directories) matched against paths relative to the root.
	Exclude []string
	// MaxFileSize is the largest file read; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Match selects files by their relative path; nil selects every file.
	Match func(rel string) bool
}

// File is a file found by a walk.
type File struct {
	// Rel is the path relative to the root, with forward slashes.
	Rel string
	// Abs is the path to open.
	Abs string
}

// Result lists the files to read, the notes about what was skipped, and
// the files that should have been read but could not be opened.
type Result struct {
	Files []File
	Notes []finding.Note
	// Errors are files a format reads that could not be opened: unlike a
	// skip, they are errors, since the code in them went unchecked.
	Errors []finding.Error
}

// skipDirs are never part of the scanned code: VCS metadata, downloaded
// dependencies. Terraform's .terraform is read through modules.json when a
// module call needs it, not walked.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, ".terraform": true,
	"node_modules": true, ".terragrunt-cache": true,
}

// Walk lists the matching files under root in lexical order. root may also
// be a single file. Symbolic links are followed; a link back into a
// directory already being walked is skipped with a note.
func Walk(ctx context.Context, root string, opts Options) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	info, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if opts.MaxFileSize == 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	w := &walker{opts: opts, res: &Result{}, active: map[string]bool{}}
	if !info.IsDir() {
		w.file(filepath.Base(root), root, info)
		return w.res, nil
	}
	if err := w.dir(ctx, root, ""); err != nil {
		return nil, err
	}
	return w.res, nil
}

type walker struct {
	opts Options
	res  *Result
	// active holds the real paths of the directories on the current walk
	// path; meeting one again means a symlink loop.
	active map[string]bool
}

func (w *walker) dir(ctx context.Context, abs, rel string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		w.note(rel, fmt.Sprintf("skipped: %v", err))
		return nil
	}
	if w.active[real] {
		w.note(rel, "skipped: symbolic link loop")
		return nil
	}
	w.active[real] = true
	defer delete(w.active, real)

	entries, err := os.ReadDir(abs)
	if err != nil {
		if rel == "" {
			return err
		}
		w.note(rel, fmt.Sprintf("skipped: %v", err))
		return nil
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		// Checked per entry, not only per directory: reading a large
		// directory is I/O a cancelled scan should stop.
		if err := ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		childAbs := filepath.Join(abs, name)
		childRel := path.Join(rel, name)
		if w.excluded(childRel) {
			continue
		}
		info, err := os.Stat(childAbs) // follows links
		if err != nil {
			if e.Type()&fs.ModeSymlink != 0 {
				w.note(childRel, "skipped: broken symbolic link")
			} else {
				w.note(childRel, fmt.Sprintf("skipped: %v", err))
			}
			continue
		}
		if info.IsDir() {
			if skipDirs[name] {
				continue
			}
			if err := w.dir(ctx, childAbs, childRel); err != nil {
				return err
			}
			continue
		}
		w.file(childRel, childAbs, info)
	}
	return nil
}

func (w *walker) file(rel, abs string, info fs.FileInfo) {
	if !info.Mode().IsRegular() {
		return
	}
	if w.opts.Match != nil && !w.opts.Match(rel) {
		return
	}
	if info.Size() > w.opts.MaxFileSize {
		w.note(rel, fmt.Sprintf("skipped: %d bytes is larger than the %d byte limit", info.Size(), w.opts.MaxFileSize))
		return
	}
	binary, err := isBinary(abs)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		w.res.Errors = append(w.res.Errors, finding.Error{File: rel, Message: "cannot read: " + err.Error()})
		return
	}
	if binary {
		w.note(rel, "skipped: binary file")
		return
	}
	w.res.Files = append(w.res.Files, File{Rel: rel, Abs: abs})
}

func (w *walker) note(rel, msg string) {
	w.res.Notes = append(w.res.Notes, finding.Note{File: rel, Message: msg})
}

func (w *walker) excluded(rel string) bool {
	for _, p := range w.opts.Exclude {
		if Match(p, rel) {
			return true
		}
	}
	return false
}

// isBinary looks for a NUL byte in the first 8 KiB, as git does.
func isBinary(name string) (bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	buf := make([]byte, 8<<10)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return false, err
	}
	return bytes.IndexByte(buf[:n], 0) >= 0, nil
}

// Match reports whether rel matches pattern. Patterns use path.Match syntax
// with "**" standing for any number of directories; a pattern that names a
// directory also matches everything under it.
func Match(pattern, rel string) bool {
	pattern = strings.TrimSuffix(filepath.ToSlash(pattern), "/")
	pattern = strings.TrimPrefix(pattern, "./")
	return matchParts(strings.Split(pattern, "/"), strings.Split(rel, "/"))
}

func matchParts(pat, parts []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			rest := pat[1:]
			for i := 0; i <= len(parts); i++ {
				if matchParts(rest, parts[i:]) {
					return true
				}
			}
			return false
		}
		if len(parts) == 0 {
			return false
		}
		ok, err := path.Match(pat[0], parts[0])
		if err != nil || !ok {
			return false
		}
		pat, parts = pat[1:], parts[1:]
	}
	// The pattern is used up: it named this path or a directory above it.
	return true
}
