package catalog

import (
	"archive/tar"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	packageurl "github.com/package-url/packageurl-go"
	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite", for the rpmdb

	"github.com/fixity-sec/fixity/pkg/image"
)

// rpmDatabase is one place rpm keeps its database, and the reader of its
// format.
type rpmDatabase struct {
	path string
	read func(ctx context.Context, name string, db []byte, osInfo OSInfo) ([]Package, error)
}

// rpmDatabases lists where each format lives. RHEL 9 and its rebuilds keep
// rpmdb.sqlite under /var/lib/rpm, Fedora 36+ under /usr/lib/sysimage/rpm
// with /var/lib/rpm a symlink to it; SUSE's NDB Packages.db is in either;
// RHEL ≤ 8, CentOS and Amazon Linux 2 keep the Berkeley DB Packages under
// /var/lib/rpm. rpm uses one database; should an image hold several, the
// first present in this order is read: SQLite, then NDB, then Berkeley DB,
// the order in which rpm itself probes for one (lib/backend/dbi.c).
var rpmDatabases = []rpmDatabase{
	{"/var/lib/rpm/rpmdb.sqlite", ReadRPMSQLite},
	{"/usr/lib/sysimage/rpm/rpmdb.sqlite", ReadRPMSQLite},
	{"/var/lib/rpm/Packages.db", ReadRPMNDB},
	{"/usr/lib/sysimage/rpm/Packages.db", ReadRPMNDB},
	{"/var/lib/rpm/Packages", ReadRPMBerkeleyDB},
	{"/usr/lib/sysimage/rpm/Packages", ReadRPMBerkeleyDB},
}

// rpmCataloger reads the rpm database, in any of its three formats.
type rpmCataloger struct{}

func (rpmCataloger) Name() string { return "rpm" }

func (rpmCataloger) Wants(p string, _ *tar.Header) bool {
	for _, d := range rpmDatabases {
		if p == d.path {
			return true
		}
	}
	return false
}

func (rpmCataloger) Catalog(ctx context.Context, fsys *image.FS, osInfo OSInfo) ([]Package, error) {
	for _, d := range rpmDatabases {
		if e, ok := fsys.Stat(d.path); !ok || e.Type == tar.TypeDir {
			continue
		}
		b, err := fsys.ReadFile(d.path)
		if err != nil {
			return nil, err
		}
		return d.read(ctx, d.path, b, osInfo)
	}
	return nil, nil
}

// withTempFile writes b to a file named base in a new temporary directory,
// calls fn with its path and removes the directory. The rpm database
// readers take a path, not bytes.
func withTempFile(base string, b []byte, fn func(path string) error) error {
	dir, err := os.MkdirTemp("", "fixity-rpmdb-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	f := filepath.Join(dir, base)
	if err := os.WriteFile(f, b, 0o600); err != nil {
		return err
	}
	return fn(f)
}

// ReadRPMSQLite reads the packages of an rpmdb.sqlite given as bytes. The
// driver needs a file, so the bytes go to a temporary one opened read-only
// and immutable (no journal or WAL is consulted: an image's database is
// checkpointed when the layer is built).
func ReadRPMSQLite(ctx context.Context, name string, db []byte, osInfo OSInfo) ([]Package, error) {
	var pkgs []Package
	err := withTempFile("rpmdb.sqlite", db, func(f string) error {
		var err error
		pkgs, err = readRPMSQLiteFile(ctx, name, f, osInfo)
		return err
	})
	return pkgs, err
}

func readRPMSQLiteFile(ctx context.Context, name, f string, osInfo OSInfo) ([]Package, error) {
	conn, err := sql.Open("sqlite", "file:"+filepath.ToSlash(f)+"?mode=ro&immutable=1")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, "SELECT hnum, blob FROM Packages ORDER BY hnum")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer rows.Close()
	var pkgs []Package
	var errs []error
	for rows.Next() {
		var hnum int64
		var blob []byte
		if err := rows.Scan(&hnum, &blob); err != nil {
			return pkgs, fmt.Errorf("%s: %w", name, err)
		}
		p, ok, err := rpmFromHeader(blob, name, osInfo)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: package %d: %w", name, hnum, err))
		} else if ok {
			pkgs = append(pkgs, p)
		}
	}
	if err := rows.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return pkgs, errors.Join(errs...)
}

// rpmFromHeader turns one header blob of the database at file into a
// package; ok is false for entries that are not software.
func rpmFromHeader(blob []byte, file string, osInfo OSInfo) (p Package, ok bool, err error) {
	h, err := parseRPMHeader(blob)
	if err != nil {
		return Package{}, false, err
	}
	// gpg-pubkey entries are imported signing keys, not software.
	if h.Name == "" || h.Name == "gpg-pubkey" {
		return Package{}, false, nil
	}
	return rpmPackage(h, file, osInfo), true, nil
}

func rpmPackage(h rpmHeader, file string, osInfo OSInfo) Package {
	vr := h.Version
	if h.Release != "" {
		vr += "-" + h.Release
	}
	epoch := ""
	if h.Epoch != nil {
		epoch = strconv.Itoa(int(*h.Epoch))
	}
	withEpoch := func(v string) string {
		if epoch == "" {
			return v
		}
		return epoch + ":" + v
	}
	p := Package{
		Name: h.Name, Version: withEpoch(vr), Type: TypeRPM, Arch: h.Arch, License: h.License,
		Ecosystem: osInfo.Ecosystem(), SourceName: h.Name, SourceVersion: withEpoch(vr),
		Locations: []Location{{Path: file}},
	}
	// The source rpm carries no epoch; the binary's applies to it.
	if n, v, ok := splitSourceRPM(h.SourceRPM); ok {
		p.SourceName, p.SourceVersion = n, withEpoch(v)
	}
	q := map[string]string{"arch": h.Arch, "epoch": epoch, "distro": osInfo.purlDistro(), "upstream": h.SourceRPM}
	p.PURL = purl(packageurl.TypeRPM, osNamespace(osInfo), h.Name, vr, q)
	return p
}

// splitSourceRPM splits "openssl-3.0.7-27.el9.src.rpm" into "openssl" and
// "3.0.7-27.el9": the name may hold dashes, version and release may not.
func splitSourceRPM(s string) (name, vr string, ok bool) {
	s = strings.TrimSuffix(s, ".rpm")
	if i := strings.LastIndex(s, "."); i >= 0 && (s[i+1:] == "src" || s[i+1:] == "nosrc") {
		s = s[:i]
	} else {
		return "", "", false
	}
	r := strings.LastIndex(s, "-")
	if r <= 0 {
		return "", "", false
	}
	v := strings.LastIndex(s[:r], "-")
	if v <= 0 {
		return "", "", false
	}
	return s[:v], s[v+1:], true
}
