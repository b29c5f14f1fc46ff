package catalog

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/fixity-sec/fixity/pkg/image"
)

const (
	dpkgStatus  = "/var/lib/dpkg/status"
	dpkgStatusD = "/var/lib/dpkg/status.d"
)

// dpkgCataloger reads the dpkg status database of Debian and Ubuntu, and the
// one-file-per-package status.d directory distroless images use instead.
type dpkgCataloger struct{}

func (dpkgCataloger) Name() string { return "dpkg" }

func (dpkgCataloger) Wants(p string, _ *tar.Header) bool {
	return p == dpkgStatus || isStatusD(p)
}

// isStatusD: a direct child of status.d, not one of the .md5sums files
// distroless keeps beside each package's stanza.
func isStatusD(p string) bool {
	return path.Dir(p) == dpkgStatusD && !strings.HasSuffix(p, ".md5sums")
}

func (dpkgCataloger) Catalog(ctx context.Context, fsys *image.FS, osInfo OSInfo) ([]Package, error) {
	files := []string{}
	if _, ok := fsys.Stat(dpkgStatus); ok {
		files = append(files, dpkgStatus)
	}
	for _, e := range fsys.Entries() {
		if e.Type == tar.TypeReg && isStatusD(e.Path) {
			files = append(files, e.Path)
		}
	}
	// Entries are sorted: status first, then status.d by name.
	var pkgs []Package
	var errs []error
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := fsys.ReadFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ps, err := ParseDpkgStatus(f, b, osInfo)
		pkgs = append(pkgs, ps...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return pkgs, errors.Join(errs...)
}

// ParseDpkgStatus parses a dpkg status file: RFC 822 stanzas separated by
// blank lines. Only packages whose Status is "install ok installed" count;
// a stanza without Status (distroless status.d) is taken as installed.
// Malformed lines are reported as name:line errors and skipped; the
// packages that could be read are returned with them.
func ParseDpkgStatus(name string, b []byte, osInfo OSInfo) ([]Package, error) {
	var pkgs []Package
	var errs []error
	for _, st := range parseStanzas(name, b, &errs) {
		p, ok := dpkgPackage(st, osInfo)
		if !ok {
			continue
		}
		p.Locations = []Location{{Path: name}}
		pkgs = append(pkgs, p)
	}
	return pkgs, errors.Join(errs...)
}

// stanza is one paragraph: field names (canonical case) to values, plus the
// line it started on.
type stanza struct {
	line   int
	fields map[string]string
}

func parseStanzas(name string, b []byte, errs *[]error) []stanza {
	var out []stanza
	var cur *stanza
	var last string // field a continuation line extends
	lines := bytes.Split(b, []byte("\n"))
	for i, raw := range lines {
		n := i + 1
		line := strings.TrimRight(string(raw), "\r")
		if strings.TrimSpace(line) == "" {
			if cur != nil {
				out = append(out, *cur)
				cur, last = nil, ""
			}
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if cur == nil || last == "" {
				*errs = append(*errs, fmt.Errorf("%s:%d: continuation line outside a field", name, n))
				continue
			}
			cur.fields[last] += "\n" + strings.TrimSpace(line)
			continue
		}
		if line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			*errs = append(*errs, fmt.Errorf("%s:%d: not a field: %q", name, n, truncate(line, 60)))
			last = ""
			continue
		}
		if cur == nil {
			cur = &stanza{line: n, fields: map[string]string{}}
		}
		last = strings.ToLower(k)
		cur.fields[last] = strings.TrimSpace(v)
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}

func dpkgPackage(st stanza, osInfo OSInfo) (Package, bool) {
	f := st.fields
	name, version := f["package"], f["version"]
	if name == "" || version == "" {
		return Package{}, false
	}
	if status, ok := f["status"]; ok && strings.Join(strings.Fields(status), " ") != "install ok installed" {
		return Package{}, false
	}
	p := Package{
		Name: name, Version: version, Type: TypeDeb, Arch: f["architecture"],
		Ecosystem: osInfo.Ecosystem(), SourceName: name, SourceVersion: version,
	}
	// Source: name, or "name (version)" when the source version differs
	// from the binary's (binNMUs, packages built from another version).
	if src := f["source"]; src != "" {
		sname, rest, _ := strings.Cut(src, " ")
		p.SourceName = sname
		rest = strings.TrimSpace(rest)
		if strings.HasPrefix(rest, "(") && strings.HasSuffix(rest, ")") {
			if v := strings.TrimSpace(rest[1 : len(rest)-1]); v != "" {
				p.SourceVersion = v
			}
		}
	}
	ns := osNamespace(osInfo)
	if ns == "" {
		ns = "debian"
	}
	q := map[string]string{"arch": p.Arch, "distro": osInfo.purlDistro()}
	if p.SourceName != p.Name || p.SourceVersion != p.Version {
		q["upstream"] = p.SourceName
		if p.SourceVersion != p.Version {
			q["upstream"] += "@" + p.SourceVersion
		}
	}
	p.PURL = purl(packageurl.TypeDebian, ns, p.Name, p.Version, q)
	return p, true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
