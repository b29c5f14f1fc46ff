// Package download fetches OSV's per-ecosystem exports for `fixity db
// update`. Importing them is the store's job; this only moves bytes, through
// the proxy the environment names.
package download

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// DefaultBaseURL is where osv.dev publishes one all.zip per ecosystem.
const DefaultBaseURL = "https://osv-vulnerabilities.storage.googleapis.com"

// Options configure a download.
type Options struct {
	// BaseURL replaces DefaultBaseURL, for mirrors and air-gapped caches.
	BaseURL string
	// Client is the HTTP client; nil uses one with the default transport's
	// settings (HTTP(S)_PROXY honoured, dial and TLS timeouts).
	Client *http.Client
	// Progress, when set, is called as bytes arrive with the count so far
	// and the size the server announced (-1 when it announced none).
	Progress func(read, total int64)
}

// Export downloads the export of one ecosystem ("Debian", "Alpine", "Go")
// into dir and returns the file's path.
func Export(ctx context.Context, dir, ecosystem string, opts Options) (string, error) {
	base := opts.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	client := opts.Client
	if client == nil {
		// The default transport's settings: the proxy from the
		// environment, and dial, TLS handshake and idle timeouts, so an
		// unreachable mirror fails instead of hanging.
		client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	u := URL(base, ecosystem)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("%s: %w", u, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("download %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("download %s: %s", u, resp.Status)
	}
	name := filepath.Join(dir, strings.NewReplacer("/", "_", ":", "_").Replace(ecosystem)+".zip")
	f, err := os.Create(name)
	if err != nil {
		return "", err
	}
	var body io.Reader = resp.Body
	if opts.Progress != nil {
		opts.Progress(0, resp.ContentLength)
		body = &countingReader{r: resp.Body, total: resp.ContentLength, report: opts.Progress}
	}
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		return "", fmt.Errorf("download %s: %w", u, err)
	}
	return name, f.Close()
}

// URL is where the export of ecosystem is under base (DefaultBaseURL when
// empty).
func URL(base, ecosystem string) string {
	if base == "" {
		base = DefaultBaseURL
	}
	return strings.TrimSuffix(base, "/") + "/" + url.PathEscape(ecosystem) + "/all.zip"
}

// countingReader reports the bytes read through it.
type countingReader struct {
	r      io.Reader
	read   int64
	total  int64
	report func(read, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.read += int64(n)
		c.report(c.read, c.total)
	}
	return n, err
}
