package cli

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const osvRecord = `{
  "schema_version": "1.6.0",
  "id": "DSA-0001-1",
  "modified": "2026-11-01T00:00:00Z",
  "aliases": ["CVE-2026-0001"],
  "affected": [{
    "package": {"ecosystem": "Debian:12", "name": "openssl"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.15-1~deb12u1"}]}]
  }]
}`

func TestDBImportAndStatus(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vuln.db")
	if r := run(t, "db", "status", "--db", db); r.code != ExitError || !strings.Contains(r.err, "fixity db update") {
		t.Fatalf("no database: exit %d, %q", r.code, r.err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "DSA-0001-1.json"), []byte(osvRecord), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, "db", "import", "--db", db, dir)
	if r.code != ExitOK || !strings.Contains(r.out, "1 added") || !strings.Contains(r.out, "1 skipped") ||
		!strings.Contains(r.err, "skipped broken.json: osv: ") {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.out, r.err)
	}
	r = run(t, "db", "status", "--db", db, "-f", "json")
	var s struct {
		Records    int                  `json:"records"`
		Ecosystems map[string]int       `json:"ecosystems"`
		Stale      bool                 `json:"stale"`
		Imported   map[string]time.Time `json:"imported"`
	}
	if err := json.Unmarshal([]byte(r.out), &s); err != nil || s.Records != 1 || s.Ecosystems["Debian:12"] != 1 || s.Stale ||
		time.Since(s.Imported["Debian:12"]) > time.Hour {
		t.Fatalf("status: %v %+v\n%s", err, s, r.out)
	}
	if r := run(t, "db", "status", "--db", db); !strings.Contains(r.out, "imported "+s.Imported["Debian:12"].UTC().Format(time.DateOnly)) {
		t.Fatalf("the table does not say when each ecosystem was imported:\n%s", r.out)
	}
	// Days, as fixity image's --max-db-age takes them.
	if r := run(t, "db", "status", "--db", db, "--max-age", "7d"); r.code != ExitOK {
		t.Fatalf("--max-age 7d: exit %d, %q", r.code, r.err)
	}
	if r := run(t, "db", "status", "--db", db, "--max-age", "soon"); r.code != ExitError || !strings.Contains(r.err, "--max-age") {
		t.Fatalf("--max-age soon: exit %d, %q", r.code, r.err)
	}
	if r := run(t, "db", "status", "--db", db, "--max-age", "1ns"); r.code != ExitFindings || !strings.Contains(r.err, "older than") {
		t.Fatalf("stale database: exit %d, %q", r.code, r.err)
	}
}

func TestDBStatusNeverImported(t *testing.T) {
	db := emptyDB(t)
	r := run(t, "db", "status", "--db", db)
	if r.code != ExitOK || !strings.Contains(r.out, "0 records, never imported") || strings.Contains(r.out, "0001-01-01") {
		t.Fatalf("exit %d, %q", r.code, r.out)
	}
	if r := run(t, "db", "status", "--db", db, "--max-age", "72h"); r.code != ExitFindings || !strings.Contains(r.err, "never") {
		t.Fatalf("--max-age: exit %d, %q", r.code, r.err)
	}
	r = run(t, "db", "status", "--db", db, "-f", "json")
	if r.code != ExitOK || !strings.Contains(r.out, `"last_import": null`) {
		t.Fatalf("json: exit %d, %s", r.code, r.out)
	}
}

func TestDBImportNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vuln.db")
	dir := t.TempDir()
	if r := run(t, "db", "import", "--db", db, dir); r.code != ExitError || !strings.Contains(r.err, "no OSV record") {
		t.Fatalf("empty folder: exit %d, %q", r.code, r.err)
	}
}

func TestDBUpdate(t *testing.T) {
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("DSA-0001-1.json")
	w.Write([]byte(osvRecord))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/Junk/all.zip" {
			w.Write([]byte("<html>captive portal</html>"))
			return
		}
		if r.URL.Path != "/Debian/all.zip" {
			http.NotFound(w, r)
			return
		}
		w.Write(zipped.Bytes())
	}))
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "vuln.db")
	r := run(t, "db", "update", "--db", db, "--ecosystem", "Debian", "--source", srv.URL)
	if r.code != ExitOK || !strings.Contains(r.out, "1 added") {
		t.Fatalf("update: exit %d\n%s\n%s", r.code, r.out, r.err)
	}
	// The import is named by where it came from, not by the temporary file
	// it was downloaded to (and which is gone by the time anyone reads
	// db status).
	if url := srv.URL + "/Debian/all.zip"; !strings.HasPrefix(r.out, url+": ") {
		t.Errorf("update output %q does not start with %s", r.out, url)
	}
	if r := run(t, "db", "status", "--db", db); !strings.Contains(r.out, "from "+srv.URL+"/Debian/all.zip\n") {
		t.Errorf("status %q does not name the download", r.out)
	}
	r = runOnTerminal(t, "db", "update", "--db", db, "--ecosystem", "Debian", "--source", srv.URL)
	size := byteSize(int64(zipped.Len()))
	if r.code != ExitOK || !strings.Contains(r.err, "downloading Debian "+size+"/"+size) ||
		!strings.Contains(r.err, "importing Debian 1/1") || !strings.HasSuffix(r.err, "\r\033[K") {
		t.Fatalf("progress on a terminal: exit %d, %q", r.code, r.err)
	}
	if r := runOnTerminal(t, "db", "update", "-q", "--db", db, "--ecosystem", "Debian", "--source", srv.URL); r.err != "" {
		t.Fatalf("--quiet: %q", r.err)
	}
	if r := run(t, "db", "update", "--db", db, "--ecosystem", "Nope", "--source", srv.URL); r.code != ExitError || !strings.Contains(r.err, "404") {
		t.Fatalf("missing export: exit %d, %q", r.code, r.err)
	}
	if r := run(t, "db", "update", "--db", db, "--ecosystem", "Junk", "--source", srv.URL); r.code != ExitError ||
		!strings.Contains(r.err, srv.URL+"/Junk/all.zip") || !strings.Contains(r.err, "not a valid zip") {
		t.Fatalf("not a zip: exit %d, %q", r.code, r.err)
	}
	if r := run(t, "db", "update", "--db", db); r.code != ExitError {
		t.Fatalf("no ecosystem: exit %d", r.code)
	}
}
