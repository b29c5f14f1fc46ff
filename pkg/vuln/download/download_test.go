package download

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func TestExport(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/Debian/all.zip" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("PK-zip-bytes"))
	}))
	defer srv.Close()
	dir := t.TempDir()
	var reads [][2]int64
	path, err := Export(context.Background(), dir, "Debian", Options{
		BaseURL:  srv.URL + "/",
		Progress: func(read, total int64) { reads = append(reads, [2]int64{read, total}) },
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "PK-zip-bytes" {
		t.Fatalf("got %q, %v", data, err)
	}
	if len(reads) < 2 || reads[0] != [2]int64{0, 12} || reads[len(reads)-1] != [2]int64{12, 12} {
		t.Fatalf("progress: %v, want from 0/12 to 12/12", reads)
	}
	_, err = Export(context.Background(), dir, "NoSuchEcosystem", Options{BaseURL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("a missing export: %v", err)
	}
}
