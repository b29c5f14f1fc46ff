package store

import (
	"archive/zip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/vuln/internal/synth"
)

// rec writes an OSV record in the real schema.
func rec(id, modified string, affected ...[2]string) string {
	s := fmt.Sprintf(`{"schema_version":"1.6.0","id":%q,"modified":%q,"published":"2023-01-01T00:00:00Z","summary":"s %s","affected":[`, id, modified, id)
	for i, a := range affected {
		if i > 0 {
			s += ","
		}
		s += fmt.Sprintf(`{"package":{"ecosystem":%q,"name":%q},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"9.9-1"}]}]}`, a[0], a[1])
	}
	return s + "]}"
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func open(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "vuln.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ids(recs []Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

func TestImportFolderAndQuery(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a/DSA-1.json":    rec("DSA-1", "2024-01-01T00:00:00Z", [2]string{"Debian:12", "openssl"}, [2]string{"Debian:11", "openssl"}),
		"a/b/DLA-2.json":  rec("DLA-2", "2024-01-02T00:00:00Z", [2]string{"Debian:11", "openssl"}),
		"GO-3.json":       rec("GO-3", "2024-01-03T00:00:00Z", [2]string{"Go", "example.com/m"}),
		"broken.json":     `{"id": "BROKEN", "affected": [`,
		"notes.txt":       "not a record",
		"a/no-id.json":    `{"summary": "no id"}`,
		"a/bad-enum.json": `{"id":"ENUM-1","modified":"2024-01-01T00:00:00Z","severity":[{"type":"CVSS_V9","score":"x"}]}`,
	})
	stats, err := s.Import(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Files != 6 || stats.Added != 4 || len(stats.Skipped) != 2 {
		t.Fatalf("stats = %+v", stats)
	}
	skipped := map[string]bool{}
	for _, sk := range stats.Skipped {
		skipped[sk.File] = true
	}
	if !skipped["broken.json"] || !skipped["a/no-id.json"] {
		t.Fatalf("skipped = %+v, want broken.json and a/no-id.json", stats.Skipped)
	}
	if stats.Ecosystems["Debian:11"] != 2 || stats.Ecosystems["Debian:12"] != 1 || stats.Ecosystems["Go"] != 1 {
		t.Fatalf("ecosystems = %v", stats.Ecosystems)
	}

	for _, tc := range []struct {
		eco, pkg string
		want     []string
	}{
		{"Debian:12", "openssl", []string{"DSA-1"}},
		{"Debian:11", "openssl", []string{"DLA-2", "DSA-1"}},
		{"Debian", "openssl", []string{"DLA-2", "DSA-1"}},
		{"Debian:10", "openssl", nil},
		{"Deb", "openssl", nil},
		{"Go", "example.com/m", []string{"GO-3"}},
		{"Go", "example.com/M", nil},
	} {
		got, err := s.Query(ctx, tc.eco, tc.pkg)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(ids(got)) != fmt.Sprint(tc.want) {
			t.Errorf("Query(%s, %s) = %v, want %v", tc.eco, tc.pkg, ids(got), tc.want)
		}
		for _, r := range got {
			if r.OSV.GetId() != r.ID || r.Modified.IsZero() {
				t.Errorf("record %s not decoded: %+v", r.ID, r)
			}
		}
	}
}

func TestImportZipUpserts(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	dir := t.TempDir()

	first := filepath.Join(dir, "first.zip")
	writeZip(t, first, map[string]string{
		"DSA-1.json": rec("DSA-1", "2024-01-01T00:00:00Z", [2]string{"Debian:12", "openssl"}),
		"DSA-2.json": rec("DSA-2", "2024-01-01T00:00:00Z", [2]string{"Debian:12", "curl"}),
	})
	if st, err := s.Import(ctx, first); err != nil || st.Added != 2 {
		t.Fatalf("first import: %+v, %v", st, err)
	}

	// DSA-1 newer and now about libssl; DSA-2 older copy must not win.
	second := filepath.Join(dir, "second.zip")
	writeZip(t, second, map[string]string{
		"DSA-1.json": rec("DSA-1", "2024-02-01T00:00:00Z", [2]string{"Debian:12", "libssl"}),
		"DSA-2.json": rec("DSA-2", "2023-12-01T00:00:00Z", [2]string{"Debian:12", "wget"}),
		"DSA-3.json": rec("DSA-3", "2024-02-01T00:00:00Z", [2]string{"Debian:12", "curl"}),
		"bad.json":   `{"id":`,
	})
	now = now.Add(time.Hour)
	st, err := s.Import(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 1 || st.Updated != 1 || st.Unchanged != 1 || len(st.Skipped) != 1 || st.Skipped[0].File != "bad.json" {
		t.Fatalf("second import: %+v", st)
	}
	check := func(eco, pkg string, want ...string) {
		t.Helper()
		got, err := s.Query(ctx, eco, pkg)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(ids(got)) != fmt.Sprint(want) {
			t.Errorf("Query(%s, %s) = %v, want %v", eco, pkg, ids(got), want)
		}
	}
	check("Debian:12", "openssl")
	check("Debian:12", "libssl", "DSA-1")
	check("Debian:12", "curl", "DSA-2", "DSA-3")
	check("Debian:12", "wget")

	now = now.Add(30 * time.Minute)
	status, err := s.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if status.Records != 3 || status.Ecosystems["Debian:12"] != 3 || status.LastSource != second ||
		!status.LastImport.Equal(now.Add(-30*time.Minute)) || status.Age != 30*time.Minute ||
		!status.LastModified.Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("status = %+v", status)
	}
}

func TestStatusEmpty(t *testing.T) {
	st, err := open(t).Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != 0 || !st.LastImport.IsZero() || st.Age != 0 {
		t.Fatalf("status = %+v", st)
	}
}

// TestStatusPerEcosystem: updating Go today does not make last month's
// Debian data current.
func TestStatusPerEcosystem(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"deb/DSA-1.json": rec("DSA-1", "2024-01-01T00:00:00Z", [2]string{"Debian:12", "openssl"}),
		"go/GO-1.json":   rec("GO-1", "2024-01-01T00:00:00Z", [2]string{"Go", "example.com/m"}),
	})
	if _, err := s.Import(ctx, filepath.Join(dir, "deb")); err != nil {
		t.Fatal(err)
	}
	debianAt := now
	now = now.Add(30 * 24 * time.Hour)
	if _, err := s.Import(ctx, filepath.Join(dir, "go")); err != nil {
		t.Fatal(err)
	}
	st, err := s.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Imported["Debian:12"].Equal(debianAt) || !st.Imported["Go"].Equal(now) || st.Age != 0 {
		t.Fatalf("imported %v, age %s", st.Imported, st.Age)
	}
}

func TestImportOneFile(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"GO-3.json": rec("GO-3", "2024-01-03T00:00:00Z", [2]string{"Go", "example.com/m"})})
	st, err := s.Import(ctx, filepath.Join(dir, "GO-3.json"))
	if err != nil || st.Files != 1 || st.Added != 1 {
		t.Fatalf("%+v, %v", st, err)
	}
	if recs, err := s.Query(ctx, "Go", "example.com/m"); err != nil || len(recs) != 1 {
		t.Fatalf("query: %d records, %v", len(recs), err)
	}
}

func TestImportProgress(t *testing.T) {
	src := filepath.Join(t.TempDir(), "all.zip")
	if err := synth.WriteZip(src, 2500); err != nil {
		t.Fatal(err)
	}
	var calls [][2]int
	st, err := open(t).Import(context.Background(), src, WithProgress(func(done, total int) {
		calls = append(calls, [2]int{done, total})
	}))
	if err != nil || st.Added != 2500 {
		t.Fatalf("%+v, %v", st, err)
	}
	want := [][2]int{{1024, 2500}, {2048, 2500}, {2500, 2500}}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Fatalf("progress calls %v, want %v", calls, want)
	}
}

func TestImportErrors(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	if _, err := s.Import(ctx, filepath.Join(t.TempDir(), "missing.zip")); err == nil {
		t.Error("missing source: want error")
	}
	notZip := filepath.Join(t.TempDir(), "x.zip")
	os.WriteFile(notZip, []byte("not a zip"), 0o644)
	if _, err := s.Import(ctx, notZip); err == nil {
		t.Error("not a zip: want error")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"A.json": rec("A", "2024-01-01T00:00:00Z")})
	if _, err := s.Import(cancelled, dir); err == nil {
		t.Error("cancelled: want error")
	}
}

// An import that reads no record (an empty folder, a zip of something
// else, nothing but broken files) is an error, and is not recorded: it
// must not make old data look freshly imported.
func TestImportNothing(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	empty := t.TempDir()
	broken := t.TempDir()
	writeFiles(t, broken, map[string]string{"A.json": "{", "B.json": `{"summary": "no id"}`})
	noJSON := filepath.Join(t.TempDir(), "other.zip")
	writeZip(t, noJSON, map[string]string{"README.txt": "hello"})
	for _, src := range []string{empty, broken, noJSON} {
		_, err := s.Import(ctx, src)
		if err == nil || !strings.Contains(err.Error(), src) || !strings.Contains(err.Error(), "no OSV record") {
			t.Errorf("%s: err = %v", src, err)
		}
	}
	st, err := s.Status(ctx)
	if err != nil || !st.LastImport.IsZero() {
		t.Fatalf("status after failed imports = %+v, %v", st, err)
	}
}

// BenchmarkImport100k imports an osv.dev-style zip of 100,000 synthetic
// records into a fresh database.
func BenchmarkImport100k(b *testing.B) {
	const n = 100_000
	src := filepath.Join(b.TempDir(), "all.zip")
	if err := synth.WriteZip(src, n); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprintf("db%d", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		st, err := s.Import(context.Background(), src)
		if err != nil || st.Added != n {
			b.Fatalf("%+v, %v", st, err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkQuery looks up one package in a 100,000-record database.
func BenchmarkQuery(b *testing.B) {
	s := openSynth(b, 100_000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		eco, _ := synth.Ecosystem(i)
		recs, err := s.Query(ctx, eco, synth.Package(i/4))
		if err != nil || len(recs) == 0 {
			b.Fatalf("%d records, %v", len(recs), err)
		}
	}
}

func openSynth(b *testing.B, n int) *Store {
	b.Helper()
	src := filepath.Join(b.TempDir(), "all.zip")
	if err := synth.WriteZip(src, n); err != nil {
		b.Fatal(err)
	}
	s := open(b)
	if _, err := s.Import(context.Background(), src); err != nil {
		b.Fatal(err)
	}
	return s
}
