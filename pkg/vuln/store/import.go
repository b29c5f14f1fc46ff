package store

import (
	"archive/zip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/fixity-sec/fixity/pkg/vuln/osv"
	"golang.org/x/sync/errgroup"
)

// MaxRecordSize bounds one record file. The largest real OSV records are a
// few megabytes; anything far beyond is a damaged or hostile archive.
const MaxRecordSize = 64 << 20

// Stats describes one import.
type Stats struct {
	Source    string
	Files     int // JSON files read
	Added     int // new ids
	Updated   int // known ids with a newer modified time
	Unchanged int // known ids whose stored copy is as new or newer
	Skipped   []Skipped
	// Ecosystems counts the records read per ecosystem (full name).
	Ecosystems map[string]int
	Duration   time.Duration
}

// Skipped is a file that was not imported and why.
type Skipped struct {
	File string
	Err  string
}

type entry struct {
	name string
	read func() ([]byte, error)
}

// ImportOption changes how Import reports its work.
type ImportOption func(*importOptions)

type importOptions struct {
	progress func(done, total int)
	name     string
}

// WithSourceName names the import by where its data came from (a URL)
// rather than by the local path it was read from (a temporary download):
// the name is what Stats, errors and Status report.
func WithSourceName(name string) ImportOption {
	return func(o *importOptions) { o.name = name }
}

// WithProgress has Import call fn after each batch of files with the number
// of files read so far and the number in the source.
func WithProgress(fn func(done, total int)) ImportOption {
	return func(o *importOptions) { o.progress = fn }
}

// Import reads an osv.dev export zip (one JSON record per file, e.g.
// Debian/all.zip), a folder of JSON files (recursively) or one JSON file,
// and upserts every
// record in one transaction: a record replaces the stored one with the same
// id only when its modified time is later. A file that is not a valid record
// is skipped and listed in Stats.Skipped; it does not fail the import, but
// a source with no record at all does.
func (s *Store) Import(ctx context.Context, src string, opts ...ImportOption) (Stats, error) {
	start := time.Now()
	var o importOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.progress == nil {
		o.progress = func(int, int) {}
	}
	path := src
	if o.name != "" {
		src = o.name
	}
	st := Stats{Source: src, Ecosystems: map[string]int{}}
	fi, err := os.Stat(path)
	if err != nil {
		return st, fmt.Errorf("store: import: %w", err)
	}
	var entries []entry
	switch {
	case fi.IsDir():
		entries, err = dirEntries(ctx, path)
	case strings.EqualFold(filepath.Ext(path), ".json"):
		// One record on its own, as an advisory is often handed around.
		entries = []entry{{name: filepath.Base(path), read: func() ([]byte, error) { return readLimited(path) }}}
	default:
		var zr *zip.ReadCloser
		zr, err = zip.OpenReader(path)
		if err == nil {
			defer zr.Close()
			entries = zipEntries(zr)
		}
	}
	if err != nil {
		return st, fmt.Errorf("store: import %s: %w", src, err)
	}

	known, err := s.modifiedTimes(ctx)
	if err != nil {
		return st, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("store: import: %w", err)
	}
	defer tx.Rollback() // no-op after Commit
	w, err := newWriter(ctx, tx)
	if err != nil {
		return st, err
	}
	defer w.close()

	// Reading and decoding dominate an import and are independent per file,
	// so they run in parallel batches; writing stays sequential and in file
	// order, which keeps the outcome deterministic.
	const batch = 1024
	parsed := make([]parsedEntry, batch)
	for lo := 0; lo < len(entries); lo += batch {
		chunk := entries[lo:min(lo+batch, len(entries))]
		if err := parseAll(ctx, chunk, parsed[:len(chunk)]); err != nil {
			return st, err
		}
		for i, p := range parsed[:len(chunk)] {
			st.Files++
			if p.err != nil {
				st.Skipped = append(st.Skipped, Skipped{File: chunk[i].name, Err: p.err.Error()})
				continue
			}
			rec := p.rec
			var mod int64
			if t := rec.GetModified(); t != nil {
				mod = t.AsTime().UnixNano()
			}
			for _, eco := range ecosystems(rec) {
				st.Ecosystems[eco]++
			}
			old, ok := known[rec.GetId()]
			switch {
			case ok && old >= mod:
				st.Unchanged++
				continue
			case ok:
				st.Updated++
			default:
				st.Added++
			}
			known[rec.GetId()] = mod
			if err := w.put(ctx, rec, mod, p.data, ok); err != nil {
				return st, fmt.Errorf("store: import %s: %s: %w", src, chunk[i].name, err)
			}
			parsed[i] = parsedEntry{} // let the batch's records be collected
		}
		o.progress(lo+len(chunk), len(entries))
	}

	// A source without a single record (an empty folder, the wrong zip,
	// nothing but broken files) is a mistake to report, and must not be
	// recorded as an import: that would make old data look fresh.
	if st.Added+st.Updated+st.Unchanged == 0 {
		msg := fmt.Sprintf("no OSV record in it (%d .json files)", st.Files)
		if len(st.Skipped) > 0 {
			msg += fmt.Sprintf("; %s: %s", st.Skipped[0].File, st.Skipped[0].Err)
		}
		return st, fmt.Errorf("store: import %s: %s", src, msg)
	}
	now := s.now().UnixNano()
	if _, err := tx.ExecContext(ctx, `INSERT INTO imports (at, source, added, updated, unchanged, skipped) VALUES (?, ?, ?, ?, ?, ?)`,
		now, src, st.Added, st.Updated, st.Unchanged, len(st.Skipped)); err != nil {
		return st, fmt.Errorf("store: import: %w", err)
	}
	for eco, n := range st.Ecosystems {
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_ecosystems (at, ecosystem, records) VALUES (?, ?, ?)`, now, eco, n); err != nil {
			return st, fmt.Errorf("store: import: %w", err)
		}
	}
	w.close()
	if err := tx.Commit(); err != nil {
		return st, fmt.Errorf("store: import: commit: %w", err)
	}
	st.Duration = time.Since(start)
	return st, nil
}

type parsedEntry struct {
	rec  *osv.Record
	data []byte
	err  error
}

// parseAll reads and decodes entries into out (same length) on all CPUs.
// Per-file failures land in out; only cancellation is returned.
func parseAll(ctx context.Context, entries []entry, out []parsedEntry) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, e := range entries {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			data, err := e.read()
			if err != nil {
				out[i] = parsedEntry{err: err}
				return nil
			}
			rec, err := osv.Parse(data)
			out[i] = parsedEntry{rec: rec, data: data, err: err}
			return nil
		})
	}
	return g.Wait()
}

// ecosystems lists the distinct ecosystems a record names, in order.
func ecosystems(rec *osv.Record) []string {
	var out []string
	for _, a := range rec.GetAffected() {
		e := a.GetPackage().GetEcosystem()
		if e != "" && !contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Store) modifiedTimes(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, modified FROM records`)
	if err != nil {
		return nil, fmt.Errorf("store: import: %w", err)
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var id string
		var mod int64
		if err := rows.Scan(&id, &mod); err != nil {
			return nil, fmt.Errorf("store: import: %w", err)
		}
		m[id] = mod
	}
	return m, rows.Err()
}

// writer holds the statements of one import transaction.
type writer struct {
	upsert, delAffected, addAffected *sql.Stmt
}

func newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	var w writer
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = tx.PrepareContext(ctx, q)
		return st
	}
	w.upsert = prep(`INSERT INTO records (id, modified, data) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET modified = excluded.modified, data = excluded.data`)
	w.delAffected = prep(`DELETE FROM affected WHERE id = ?`)
	w.addAffected = prep(`INSERT OR IGNORE INTO affected (name, ecosystem, id) VALUES (?, ?, ?)`)
	if err != nil {
		w.close()
		return nil, fmt.Errorf("store: import: %w", err)
	}
	return &w, nil
}

func (w *writer) close() {
	for _, st := range []*sql.Stmt{w.upsert, w.delAffected, w.addAffected} {
		if st != nil {
			st.Close()
		}
	}
}

func (w *writer) put(ctx context.Context, rec *osv.Record, mod int64, data []byte, replace bool) error {
	id := rec.GetId()
	if _, err := w.upsert.ExecContext(ctx, id, mod, data); err != nil {
		return err
	}
	if replace {
		if _, err := w.delAffected.ExecContext(ctx, id); err != nil {
			return err
		}
	}
	for _, a := range rec.GetAffected() {
		p := a.GetPackage()
		if p.GetName() == "" || p.GetEcosystem() == "" {
			continue
		}
		if _, err := w.addAffected.ExecContext(ctx, p.GetName(), p.GetEcosystem(), id); err != nil {
			return err
		}
	}
	return nil
}

func dirEntries(ctx context.Context, root string) ([]entry, error) {
	var out []entry
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || !strings.EqualFold(filepath.Ext(path), ".json") {
			return nil
		}
		name := path
		if rel, err := filepath.Rel(root, path); err == nil {
			name = filepath.ToSlash(rel)
		}
		out = append(out, entry{name: name, read: func() ([]byte, error) { return readLimited(path) }})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, err
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f)
}

func readAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxRecordSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxRecordSize {
		return nil, errors.New("record larger than 64 MiB")
	}
	return data, nil
}

func zipEntries(zr *zip.ReadCloser) []entry {
	var out []entry
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.EqualFold(filepath.Ext(f.Name), ".json") {
			continue
		}
		out = append(out, entry{name: f.Name, read: func() ([]byte, error) {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return readAll(rc)
		}})
	}
	return out
}
