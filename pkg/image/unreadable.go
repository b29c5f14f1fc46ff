package image

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"
)

// ReadError is one path of a root filesystem directory that could not be
// read: a directory that could not be listed, an entry that could not be
// examined, a file whose content could not be opened or read. A scan by a
// user other than root meets them on every real system (/root is 0700,
// /etc/shadow 0640), so they do not stop Walk or Squash: see
// IncompleteError. Image layers never produce one; a layer that cannot be
// read stops the walk.
type ReadError struct {
	// Path is absolute and clean, as File.Path.
	Path string
	// Dir: the path is a directory, and nothing under it was read.
	Dir bool
	// Err is why, without the path: for a user without the permission,
	// syscall.EACCES ("permission denied"), which errors.Is matches with
	// fs.ErrPermission.
	Err error
}

func (e *ReadError) Error() string { return e.Path + ": " + e.Err.Error() }

func (e *ReadError) Unwrap() error { return e.Err }

// newReadError makes a ReadError, keeping only the cause of a path error:
// the path in it is the host's or the fs.FS's, not the image's.
func newReadError(p string, dir bool, err error) *ReadError {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return &ReadError{Path: p, Dir: dir, Err: err}
}

// IncompleteError says that a read of a root filesystem went through
// everything it could, but some paths could not be read. It is never
// alone: Walk returns it once every readable entry has been visited, and
// Squash, and the passes built on them (catalog, harden, baseline), return
// it beside a result that is whole but for those paths. A caller that can
// report them takes them with errors.As (or Unreadable) and goes on; one
// that cannot fails, rather than pass a partial read as a whole one.
type IncompleteError struct {
	// Unreadable is sorted by path, each path once.
	Unreadable []*ReadError
}

func (e *IncompleteError) Error() string {
	const listed = 3
	var b strings.Builder
	n := len(e.Unreadable)
	if n == 1 {
		b.WriteString("1 path could not be read: ")
	} else {
		fmt.Fprintf(&b, "%d paths could not be read: ", n)
	}
	for i, r := range e.Unreadable[:min(n, listed)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.Error())
	}
	if n > listed {
		fmt.Fprintf(&b, " and %d more", n-listed)
	}
	return b.String()
}

// Incomplete returns an *IncompleteError listing unread, sorted by path and
// each path once (the first ReadError for it wins), or nil when unread is
// empty. It is how a pass over an image adds what it found unreadable
// itself (a hard link to a file that could not be read) to what Walk
// returned.
func Incomplete(unread ...[]*ReadError) error {
	seen := map[string]bool{}
	var out []*ReadError
	for _, l := range unread {
		for _, r := range l {
			if r != nil && !seen[r.Path] {
				seen[r.Path] = true
				out = append(out, r)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return &IncompleteError{Unreadable: out}
}

// Unreadable splits an error returned beside a result: the paths of an
// *IncompleteError, which leaves the result usable, and nil; or nothing and
// err itself, for any other error (or nil).
func Unreadable(err error) ([]*ReadError, error) {
	var inc *IncompleteError
	if errors.As(err, &inc) {
		return inc.Unreadable, nil
	}
	return nil, err
}

// unreadable collects the ReadErrors of one read of a root filesystem,
// once per path. Content is read inside visit, which may hand it to
// another goroutine: it is safe for concurrent use.
type unreadable struct {
	mu   sync.Mutex
	errs []*ReadError
	seen map[string]bool
}

func (u *unreadable) add(e *ReadError) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.seen[e.Path] {
		return
	}
	if u.seen == nil {
		u.seen = map[string]bool{}
	}
	u.seen[e.Path] = true
	u.errs = append(u.errs, e)
}

// err is the IncompleteError for what was collected, or nil.
func (u *unreadable) err() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	return Incomplete(u.errs)
}
