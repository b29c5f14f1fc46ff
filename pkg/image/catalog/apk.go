package catalog

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/fixity-sec/fixity/pkg/image"
)

const apkInstalled = "/lib/apk/db/installed"

// apkCataloger reads the apk database of Alpine, Wolfi and Chainguard.
type apkCataloger struct{}

func (apkCataloger) Name() string { return "apk" }

func (apkCataloger) Wants(p string, _ *tar.Header) bool { return p == apkInstalled }

func (apkCataloger) Catalog(ctx context.Context, fsys *image.FS, osInfo OSInfo) ([]Package, error) {
	if _, ok := fsys.Stat(apkInstalled); !ok {
		return nil, nil
	}
	b, err := fsys.ReadFile(apkInstalled)
	if err != nil {
		return nil, err
	}
	return ParseApkInstalled(apkInstalled, b, osInfo)
}

// ParseApkInstalled parses an apk installed database: one record per
// package, blank-line separated, each line a one-letter key, a colon and a
// value (P: name, V: version, A: arch, o: origin, L: license; file lists
// and checksums are ignored). Records without P: or V: are skipped;
// malformed lines are reported as name:line errors.
func ParseApkInstalled(name string, b []byte, osInfo OSInfo) ([]Package, error) {
	var pkgs []Package
	var errs []error
	var cur Package
	start, started := 0, false
	flush := func() {
		started = false
		if cur.Name != "" && cur.Version != "" {
			pkgs = append(pkgs, apkPackage(cur, name, osInfo))
		} else if cur.Name != "" || cur.Version != "" {
			errs = append(errs, fmt.Errorf("%s:%d: record without P: or V:", name, start))
		}
		cur = Package{}
	}
	for i, raw := range bytes.Split(b, []byte("\n")) {
		n := i + 1
		line := strings.TrimRight(string(raw), "\r")
		if line == "" {
			flush()
			continue
		}
		if !started {
			start, started = n, true
		}
		if len(line) < 2 || line[1] != ':' {
			errs = append(errs, fmt.Errorf("%s:%d: not a field: %q", name, n, truncate(line, 60)))
			continue
		}
		v := line[2:]
		switch line[0] {
		case 'P':
			cur.Name = v
		case 'V':
			cur.Version = v
		case 'A':
			cur.Arch = v
		case 'o':
			cur.SourceName = v
		case 'L':
			cur.License = v
		}
	}
	flush()
	return pkgs, errors.Join(errs...)
}

func apkPackage(p Package, file string, osInfo OSInfo) Package {
	p.Type = TypeApk
	p.Ecosystem = osInfo.Ecosystem()
	if p.SourceName == "" {
		p.SourceName = p.Name
	}
	// A subpackage always has its origin's version.
	p.SourceVersion = p.Version
	ns := osNamespace(osInfo)
	if ns == "" {
		ns = "alpine"
	}
	q := map[string]string{"arch": p.Arch, "distro": osInfo.purlDistro()}
	if p.SourceName != p.Name {
		q["upstream"] = p.SourceName
	}
	p.PURL = purl(packageurl.TypeApk, ns, p.Name, p.Version, q)
	p.Locations = []Location{{Path: file}}
	return p
}
