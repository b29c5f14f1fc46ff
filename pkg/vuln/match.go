// Package vuln matches installed packages against OSV vulnerability data.
// Subpackages: version (per-ecosystem version order), osv (records and range
// evaluation), store (the local SQLite database).
package vuln

import (
	"context"
	"slices"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/vuln/osv"
	"github.com/fixity-sec/fixity/pkg/vuln/store"
	"github.com/fixity-sec/fixity/pkg/vuln/version"
)

// Source is where Match looks records up; *store.Store is one.
type Source interface {
	Query(ctx context.Context, eco, pkg string) ([]store.Record, error)
}

// Package is one installed package.
type Package struct {
	// Ecosystem is the OSV ecosystem, with the release when the data is
	// per release: "Debian:12", "Alpine:v3.20", "Go".
	Ecosystem string
	Name      string
	Version   string
	// SourceName is the Debian source package (or Alpine origin) a binary
	// package was built from (libssl3 -> openssl). Debian and Alpine
	// advisories name source packages, so when set it is the name looked up.
	SourceName string
}

// Vulnerability is one record affecting one installed package.
type Vulnerability struct {
	ID        string
	Aliases   []string
	Package   Package
	Installed string
	Fixed     string // "" when no fixed version is known
	Severity  finding.Severity
	Summary   string
}

// Match returns the vulnerabilities affecting pkgs, ordered by package name,
// then ecosystem, then id. Withdrawn records never match. A package whose
// version its ecosystem cannot read, or a record whose ranges cannot be read,
// yields no match rather than a guess; the error is only for failures of src.
func Match(ctx context.Context, src Source, pkgs []Package) ([]Vulnerability, error) {
	var out []Vulnerability
	for _, p := range pkgs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := p.Name
		if p.SourceName != "" {
			name = p.SourceName
		}
		recs, err := src.Query(ctx, p.Ecosystem, name)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			hit, fixed := osv.Affected(r.OSV, version.Ecosystem(p.Ecosystem), name, p.Version)
			if !hit {
				continue
			}
			out = append(out, Vulnerability{
				ID:        r.OSV.GetId(),
				Aliases:   slices.Clone(r.OSV.GetAliases()),
				Package:   p,
				Installed: p.Version,
				Fixed:     fixed,
				Severity:  Severity(r.OSV, version.Ecosystem(p.Ecosystem), name),
				Summary:   r.OSV.GetSummary(),
			})
		}
	}
	slices.SortStableFunc(out, func(a, b Vulnerability) int {
		if c := strings.Compare(a.Package.Name, b.Package.Name); c != 0 {
			return c
		}
		if c := strings.Compare(a.Package.Ecosystem, b.Package.Ecosystem); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}
