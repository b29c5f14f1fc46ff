// Package store keeps OSV records in a local SQLite database, indexed by
// (package name, ecosystem), so that an image scan can look up every
// installed package without network access.
//
// Ecosystems are stored exactly as records spell them, release included
// ("Debian:12", "Alpine:v3.20"). Query with a release ("Debian:12") returns
// the records for that release only; with a bare name ("Debian") it returns
// the records of every release. Pass the release when you know it: the same
// package version is fixed at different versions in different releases.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/fixity-sec/fixity/pkg/vuln/osv"
	_ "modernc.org/sqlite" // database/sql driver "sqlite", pure Go
)

// Store is an open vulnerability database. It is safe for concurrent use.
type Store struct {
	db    *sql.DB
	query *sql.Stmt
	now   func() time.Time
}

// Record is one stored OSV record.
type Record struct {
	ID       string
	Modified time.Time
	OSV      *osv.Record
}

const schema = `
CREATE TABLE IF NOT EXISTS records (
	id       TEXT PRIMARY KEY,
	modified INTEGER NOT NULL, -- unix nanoseconds; decides which copy wins an upsert
	data     BLOB NOT NULL     -- the record's JSON as imported
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS affected (
	name      TEXT NOT NULL,
	ecosystem TEXT NOT NULL,
	id        TEXT NOT NULL,
	PRIMARY KEY (name, ecosystem, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS affected_by_id ON affected (id);
CREATE TABLE IF NOT EXISTS imports (
	at        INTEGER NOT NULL, -- unix nanoseconds
	source    TEXT NOT NULL,
	added     INTEGER NOT NULL,
	updated   INTEGER NOT NULL,
	unchanged INTEGER NOT NULL,
	skipped   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS import_ecosystems (
	at        INTEGER NOT NULL,
	ecosystem TEXT NOT NULL,
	records   INTEGER NOT NULL
);
`

// Open opens (creating if needed) the database at path.
func Open(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: create schema: %w", path, err)
	}
	// DISTINCT: one record may name the package in several releases.
	stmt, err := db.PrepareContext(ctx, `
		SELECT DISTINCT r.id, r.modified, r.data
		FROM affected a JOIN records r ON r.id = a.id
		WHERE a.name = ?1 AND (a.ecosystem = ?2 OR (?3 != '' AND a.ecosystem >= ?3 AND a.ecosystem < ?4))
		ORDER BY r.id`)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return &Store{db: db, query: stmt, now: time.Now}, nil
}

// Close releases the database.
func (s *Store) Close() error {
	return errors.Join(s.query.Close(), s.db.Close())
}

// Query returns the records that name package pkg in ecosystem eco (see the
// package comment for how releases match), ordered by id. Withdrawn records
// are returned too; osv.Affected never matches them.
func (s *Store) Query(ctx context.Context, eco, pkg string) ([]Record, error) {
	var lo, hi string
	if !strings.Contains(eco, ":") {
		// Every "eco:<release>": ';' is the byte after ':'.
		lo, hi = eco+":", eco+";"
	}
	rows, err := s.query.QueryContext(ctx, pkg, eco, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: query %s/%s: %w", eco, pkg, err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var (
			id   string
			mod  int64
			data []byte
		)
		if err := rows.Scan(&id, &mod, &data); err != nil {
			return nil, fmt.Errorf("store: query %s/%s: %w", eco, pkg, err)
		}
		rec, err := osv.Parse(data)
		if err != nil {
			// Only valid records are imported; this is a damaged database.
			return nil, fmt.Errorf("store: record %s: %w", id, err)
		}
		out = append(out, Record{ID: id, Modified: time.Unix(0, mod).UTC(), OSV: rec})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query %s/%s: %w", eco, pkg, err)
	}
	return out, nil
}

// Status describes what the database holds and how fresh it is.
type Status struct {
	Records    int            // distinct records
	Ecosystems map[string]int // records naming a package in each ecosystem (full name, e.g. "Debian:12")
	LastImport time.Time      // zero when nothing was ever imported
	LastSource string         // what the last import read
	// LastModified is the newest record's modified time: how current the
	// data itself is, whatever the import time.
	LastModified time.Time
	Age          time.Duration // since LastImport; 0 when never imported
	// Imported is, for each ecosystem (full name), when an import last
	// brought records of it: a fresh update of one ecosystem says nothing
	// about how current another one is.
	Imported map[string]time.Time
}

// importedAt is the time of the last import of each ecosystem.
func (s *Store) importedAt(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ecosystem, MAX(at) FROM import_ecosystems GROUP BY ecosystem`)
	if err != nil {
		return nil, fmt.Errorf("store: status: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var eco string
		var at int64
		if err := rows.Scan(&eco, &at); err != nil {
			return nil, fmt.Errorf("store: status: %w", err)
		}
		out[eco] = time.Unix(0, at).UTC()
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: status: %w", err)
	}
	return out, nil
}

// Status reports the database's contents and freshness.
func (s *Store) Status(ctx context.Context) (Status, error) {
	st := Status{Ecosystems: map[string]int{}}
	var maxMod sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), MAX(modified) FROM records`).Scan(&st.Records, &maxMod); err != nil {
		return st, fmt.Errorf("store: status: %w", err)
	}
	if maxMod.Valid {
		st.LastModified = time.Unix(0, maxMod.Int64).UTC()
	}
	rows, err := s.db.QueryContext(ctx, `SELECT ecosystem, COUNT(DISTINCT id) FROM affected GROUP BY ecosystem`)
	if err != nil {
		return st, fmt.Errorf("store: status: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eco string
		var n int
		if err := rows.Scan(&eco, &n); err != nil {
			return st, fmt.Errorf("store: status: %w", err)
		}
		st.Ecosystems[eco] = n
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("store: status: %w", err)
	}
	if st.Imported, err = s.importedAt(ctx); err != nil {
		return st, err
	}
	var at int64
	err = s.db.QueryRowContext(ctx, `SELECT at, source FROM imports ORDER BY at DESC LIMIT 1`).Scan(&at, &st.LastSource)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return st, fmt.Errorf("store: status: %w", err)
	default:
		st.LastImport = time.Unix(0, at).UTC()
		st.Age = s.now().Sub(st.LastImport)
	}
	return st, nil
}
