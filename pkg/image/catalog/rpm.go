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

// rpmSQLitePaths: RHEL 9 and its rebuilds keep the database under
// /var/lib/rpm; Fedora 36+ and openSUSE under /usr/lib/sysimage/rpm, with
// /var/lib/rpm a symlink to it.
var rpmSQLitePaths = []string{"/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite"}

// rpmOtherDBs are the older formats: Berkeley DB (RHEL ≤ 8, CentOS, Amazon
// Linux 2) and NDB (SUSE). Neither is read; their presence is reported.
var rpmOtherDBs = []string{
	"/var/lib/rpm/Packages", "/usr/lib/sysimage/rpm/Packages",
	"/var/lib/rpm/Packages.db", "/usr/lib/sysimage/rpm/Packages.db",
}

// ErrRPMFormat reports an rpm database in a format not read here.
var ErrRPMFormat = errors.New("rpm database format not supported (only rpmdb.sqlite is read)")

// rpmCataloger reads the SQLite rpm database.
type rpmCataloger struct{}

func (rpmCataloger) Name() string { return "rpm" }

func (rpmCataloger) Wants(p string, _ *tar.Header) bool {
	return p == rpmSQLitePaths[0] || p == rpmSQLitePaths[1]
}

func (rpmCataloger) Catalog(ctx context.Context, fsys *image.FS, osInfo OSInfo) ([]Package, error) {
	for _, p := range rpmSQLitePaths {
		if _, ok := fsys.Stat(p); !ok {
			continue
		}
		b, err := fsys.ReadFile(p)
		if err != nil {
			return nil, err
		}
		return ReadRPMSQLite(ctx, p, b, osInfo)
	}
	for _, p := range rpmOtherDBs {
		if e, ok := fsys.Stat(p); ok && e.Type == tar.TypeReg {
			return nil, fmt.Errorf("%s: %w", p, ErrRPMFormat)
		}
	}
	return nil, nil
}

// ReadRPMSQLite reads the packages of an rpmdb.sqlite given as bytes. The
// driver needs a file, so the bytes go to a temporary one opened read-only
// and immutable (no journal or WAL is consulted: an image's database is
// checkpointed when the layer is built).
func ReadRPMSQLite(ctx context.Context, name string, db []byte, osInfo OSInfo) ([]Package, error) {
	dir, err := os.MkdirTemp("", "fixity-rpmdb-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	f := filepath.Join(dir, "rpmdb.sqlite")
	if err := os.WriteFile(f, db, 0o600); err != nil {
		return nil, err
	}
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
		h, err := parseRPMHeader(blob)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: package %d: %w", name, hnum, err))
			continue
		}
		// gpg-pubkey entries are imported signing keys, not software.
		if h.Name == "" || h.Name == "gpg-pubkey" {
			continue
		}
		pkgs = append(pkgs, rpmPackage(h, name, osInfo))
	}
	if err := rows.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return pkgs, errors.Join(errs...)
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
