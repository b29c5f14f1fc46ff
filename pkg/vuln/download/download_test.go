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
	path, err := Export(context.Background(), dir, "Debian", Options{BaseURL: srv.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "PK-zip-bytes" {
		t.Fatalf("got %q, %v", data, err)
	}
	_, err = Export(context.Background(), dir, "NoSuchEcosystem", Options{BaseURL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("a missing export: %v", err)
	}
}
