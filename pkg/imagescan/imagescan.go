// Package imagescan is `fixity image`: the bake-time scan of a golden
// image. It catalogs what the image holds, matches it against
// vulnerability data, checks its hardening, and builds its baseline, and
// returns the same Report as every other fixity scan.
package imagescan

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/fixity-sec/fixity/pkg/image/baseline"
	"github.com/fixity-sec/fixity/pkg/image/catalog"
	"github.com/fixity-sec/fixity/pkg/image/harden"
	"github.com/fixity-sec/fixity/pkg/vuln"
	"golang.org/x/sync/errgroup"
)

// Source names where the image is read from. Exactly one field is set.
type Source struct {
	Ref    string // a registry reference
	Input  string // a `docker save` archive
	OCI    string // an OCI image layout directory
	RootFS string // a plain root filesystem directory
	// Platform picks from a multi-arch index ("linux/arm64").
	Platform string
}

// Open reads the image the source names. Close the image when done: a
// registry image keeps its pulled layers on disk until then.
func (s Source) Open(ctx context.Context) (*image.Image, error) {
	var opts []image.Option
	if s.Platform != "" {
		opts = append(opts, image.WithPlatform(s.Platform))
	}
	set := 0
	for _, v := range []string{s.Ref, s.Input, s.OCI, s.RootFS} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		return nil, fmt.Errorf("name one image: a reference, --input, --oci or --rootfs")
	}
	if s.RootFS != "" && s.Platform != "" {
		// Said rather than ignored: the user may think they scanned another
		// architecture's build.
		return nil, fmt.Errorf("--platform picks one image of a multi-platform image; a root filesystem is one already")
	}
	switch {
	case s.Input != "":
		return image.FromDockerArchive(ctx, s.Input, opts...)
	case s.OCI != "":
		return image.FromOCILayout(ctx, s.OCI, opts...)
	case s.RootFS != "":
		return image.FromRootFS(ctx, s.RootFS, opts...)
	}
	return image.FromRegistry(ctx, s.Ref, opts...)
}

// Options configure a scan.
type Options struct {
	// Vulns is the vulnerability data; nil skips matching.
	Vulns vuln.Source
	// VulnDataAge is how old that data is; over MaxVulnDataAge it is a
	// warning in the report.
	VulnDataAge    time.Duration
	MaxVulnDataAge time.Duration
	// VulnDataAges, when set, is the age of the data of each ecosystem
	// (since store.Status's Imported): the warning is then about the
	// ecosystems of the image's packages, since a fresh update of one
	// ecosystem says nothing about another.
	VulnDataAges map[string]time.Duration
	// Ecosystems counts Vulns' records per ecosystem (store.Status's).
	// When set, packages of an ecosystem it holds nothing for are a note:
	// no match there means no data, not no vulnerability.
	Ecosystems map[string]int
	// Harden carries the image age limit and clock.
	Harden harden.Options
	// Baseline also builds the image's baseline.
	Baseline bool
	Version  string
	// Progress, when set, hears about each step: reading a large image
	// from a registry takes a while.
	Progress Progress
}

// Progress is told what a scan is doing, for a progress display.
type Progress interface {
	Step(name string, total int)
	Advance(n int)
}

type noProgress struct{}

func (noProgress) Step(string, int) {}
func (noProgress) Advance(int)      {}

// Result is what a scan found.
type Result struct {
	Report   *finding.Report
	SBOM     *catalog.SBOM
	Baseline *baseline.Baseline
}

// Run scans img.
//
// What could not be read of a root filesystem (a directory or a file the
// scanning user may not read) does not stop it: each such path is one
// error of the report, with the path as File, however many of the passes
// met it, and everything else is scanned.
func Run(ctx context.Context, img *image.Image, opts Options) (*Result, error) {
	progress := opts.Progress
	if progress == nil {
		progress = noProgress{}
	}
	// The catalog, the hardening checks and the baseline each read the
	// image once, independently: side by side they keep both cores busy
	// inflating layers instead of taking turns.
	progress.Step("scanning the image", 0)
	var (
		sbom      *catalog.SBOM
		hardening []finding.Finding
		bl        *baseline.Baseline
		// unread is what each pass could not read: the catalog, the
		// hardening checks, the baseline.
		unread [3][]*image.ReadError
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		sbom, err = catalog.Catalog(gctx, img)
		unread[0], err = image.Unreadable(err)
		return err
	})
	g.Go(func() (err error) {
		hardening, err = harden.Check(gctx, img, opts.Harden)
		unread[1], err = image.Unreadable(err)
		return err
	})
	if opts.Baseline {
		g.Go(func() (err error) {
			bl, err = baseline.Build(gctx, img)
			unread[2], err = image.Unreadable(err)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	rep := &finding.Report{
		Schema:   finding.Schema,
		Tool:     finding.Tool{Name: "fixity", Version: opts.Version},
		Target:   img.Ref,
		Findings: hardening,
		Rules:    harden.Rules(),
	}
	// For an image, the files are those of its final filesystem and the
	// resources its packages.
	rep.Summary.Files = sbom.Files
	rep.Summary.Resources = len(sbom.Packages)
	for _, e := range sbom.Errors {
		rep.Errors = append(rep.Errors, finding.Error{Message: e})
	}
	rep.Errors = append(rep.Errors, unreadableErrors(unread[:]...)...)
	if opts.Vulns != nil {
		progress.Step("matching vulnerabilities", 0)
		vf, rules, err := vulnerabilities(ctx, opts.Vulns, img, sbom)
		if err != nil {
			return nil, err
		}
		rep.Findings = append(rep.Findings, vf...)
		rep.Rules = append(rep.Rules, rules...)
		if opts.Ecosystems != nil {
			for _, n := range uncovered(sbom, opts.Ecosystems) {
				rep.Notes = append(rep.Notes, finding.Note{Message: n})
			}
		}
		rep.Notes = append(rep.Notes, staleData(sbom, opts)...)
	} else {
		rep.Notes = append(rep.Notes, finding.Note{Message: "vulnerabilities were not checked"})
	}
	if sbom.OS.ID == "" && img.Source != image.SourceRootFS && len(sbom.Packages) == 0 {
		rep.Notes = append(rep.Notes, finding.Note{Message: "no operating system or packages found"})
	}
	// A package database that could not be read is an error already.
	if sbom.OS.ID != "" && !hasOSPackages(sbom) && len(sbom.Errors) == 0 && !hidesPackageDatabase(unread[0]) {
		name := sbom.OS.PrettyName
		if name == "" {
			name = strings.TrimSpace(sbom.OS.ID + " " + sbom.OS.VersionID)
		}
		rep.Notes = append(rep.Notes, finding.Note{Message: fmt.Sprintf(
			"the image is %s but no package database (dpkg, apk, rpm) was found: its packages are neither listed nor checked", name)})
	}
	res := &Result{Report: rep, SBOM: sbom, Baseline: bl}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.Severity != b.Severity {
			return a.Severity > b.Severity
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Resource < b.Resource
	})
	rep.Tally()
	return res, nil
}

// unreadableErrors makes each path the passes could not read one error of
// the report: a directory that could not be listed hides its files from
// all of them, and a file is read by every pass that wants it.
func unreadableErrors(passes ...[]*image.ReadError) []finding.Error {
	// Incomplete keeps each path once, sorted.
	merged, _ := image.Unreadable(image.Incomplete(passes...))
	out := make([]finding.Error, 0, len(merged))
	for _, r := range merged {
		msg := fmt.Sprintf("could not be read (%v), so it was not checked", r.Err)
		if r.Dir {
			msg = fmt.Sprintf("directory could not be read (%v), so nothing under it was checked", r.Err)
		}
		out = append(out, finding.Error{File: r.Path, Message: msg})
	}
	return out
}

// vulnerabilities matches the cataloged packages and turns each match into
// a finding on the package, with a rule for each advisory so that SARIF
// consumers see its text.
func vulnerabilities(ctx context.Context, src vuln.Source, img *image.Image, sbom *catalog.SBOM) ([]finding.Finding, []finding.Rule, error) {
	type key struct{ eco, name, version string }
	byKey := map[key]catalog.Package{}
	var pkgs []vuln.Package
	for _, p := range sbom.Packages {
		if p.Ecosystem == "" {
			continue
		}
		vp := vuln.Package{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version}
		// Debian and Alpine publish advisories per source package (Alpine's
		// origin): libssl3 and libcrypto3 are both found as openssl.
		if (p.Type == catalog.TypeDeb || p.Type == catalog.TypeApk) && p.SourceName != "" && p.SourceName != p.Name {
			vp.SourceName = p.SourceName
		}
		byKey[key{vp.Ecosystem, vp.Name, vp.Version}] = p
		pkgs = append(pkgs, vp)
	}
	matches, err := vuln.Match(ctx, src, pkgs)
	if err != nil {
		return nil, nil, err
	}
	var out []finding.Finding
	var rules []finding.Rule
	seen := map[string]bool{}
	for _, m := range matches {
		p := byKey[key{m.Package.Ecosystem, m.Package.Name, m.Package.Version}]
		ref := "https://osv.dev/vulnerability/" + m.ID
		title := m.Summary
		if title == "" {
			title = m.ID + " in " + m.Package.Name
		}
		ids := m.ID
		if len(m.Aliases) > 0 {
			ids += " (" + strings.Join(m.Aliases, ", ") + ")"
		}
		msg := fmt.Sprintf("%s %s is affected by %s; ", m.Package.Name, m.Installed, ids)
		fix := "No fixed version is published yet: weigh removing the package from the image, and rebuild as soon as a fix appears."
		if m.Fixed != "" {
			msg += "fixed in " + m.Fixed
			fix = fmt.Sprintf("Rebuild the image so it installs %s %s or later, and replace the running servers with it.", m.Package.Name, m.Fixed)
		} else {
			msg += "no fix yet"
		}
		f := finding.Finding{
			RuleID: m.ID, Severity: m.Severity, Title: title, Message: msg,
			Resource: p.PURL, Remediation: fix, References: []string{ref},
		}
		if len(p.Locations) > 0 {
			f.File = p.Locations[0].Path
		}
		if f.Resource == "" {
			f.Resource = img.Ref
		}
		out = append(out, f)
		if !seen[m.ID] {
			seen[m.ID] = true
			rules = append(rules, finding.Rule{ID: m.ID, Severity: m.Severity, Title: title,
				Description: title, Remediation: "Rebuild the image with the fixed package version.", References: []string{ref}})
		}
	}
	return out, rules, nil
}

// hidesPackageDatabase: one of the paths the catalog could not read may be
// a package database, so not finding one proves nothing.
func hidesPackageDatabase(unread []*image.ReadError) bool {
	for _, r := range unread {
		if catalog.MayHidePackageDatabase(r.Path) {
			return true
		}
	}
	return false
}

// staleData warns when the vulnerability data is older than allowed: the
// data of each ecosystem the image's packages are in, when the ages are
// known per ecosystem, else the data as a whole.
func staleData(sbom *catalog.SBOM, opts Options) []finding.Note {
	if opts.MaxVulnDataAge <= 0 {
		return nil
	}
	if opts.VulnDataAges == nil {
		if opts.VulnDataAge <= opts.MaxVulnDataAge {
			return nil
		}
		return []finding.Note{{Message: fmt.Sprintf("the vulnerability data is %s old (more than %s): run `fixity db update`",
			age(opts.VulnDataAge), age(opts.MaxVulnDataAge))}}
	}
	seen := map[string]bool{}
	var out []finding.Note
	for _, p := range sbom.Packages {
		if p.Ecosystem == "" || seen[p.Ecosystem] {
			continue
		}
		seen[p.Ecosystem] = true
		a, ok := ecosystemAge(p.Ecosystem, opts.VulnDataAges)
		if !ok || a <= opts.MaxVulnDataAge {
			continue // no data at all is uncovered's note
		}
		base, _, _ := strings.Cut(p.Ecosystem, ":")
		out = append(out, finding.Note{Message: fmt.Sprintf(
			"the vulnerability data for %s is %s old (more than %s): run `fixity db update --ecosystem %s`",
			p.Ecosystem, age(a), age(opts.MaxVulnDataAge), base)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Message < out[j].Message })
	return out
}

// ecosystemAge is the age of the data for eco: its own, or for an
// ecosystem named without a release ("Go" packages, "Debian" advisories
// that name none), the newest of its releases'.
func ecosystemAge(eco string, ages map[string]time.Duration) (time.Duration, bool) {
	if a, ok := ages[eco]; ok {
		return a, true
	}
	var best time.Duration
	found := false
	for e, a := range ages {
		if strings.HasPrefix(e, eco+":") && (!found || a < best) {
			best, found = a, true
		}
	}
	return best, found
}

// uncovered says which ecosystems of the cataloged packages the data has no
// records for, as store.Query looks them up: a release ("Alpine:v3.19")
// exactly, a bare name ("SUSE") in any of its releases.
func uncovered(sbom *catalog.SBOM, have map[string]int) []string {
	count := map[string]int{}
	for _, p := range sbom.Packages {
		if p.Ecosystem != "" {
			count[p.Ecosystem]++
		}
	}
	var out []string
	for eco, n := range count {
		covered := have[eco] > 0
		if !strings.Contains(eco, ":") {
			for e, k := range have {
				if k > 0 && strings.HasPrefix(e, eco+":") {
					covered = true
				}
			}
		}
		if covered {
			continue
		}
		base, _, _ := strings.Cut(eco, ":")
		what := fmt.Sprintf("its %d packages were", n)
		if n == 1 {
			what = "its package was"
		}
		out = append(out, fmt.Sprintf("the vulnerability data has no records for %s: %s not checked "+
			"(run `fixity db update --ecosystem %s`)", eco, what, base))
	}
	sort.Strings(out)
	return out
}

// hasOSPackages reports whether the catalog found any package of the
// operating system's package manager.
func hasOSPackages(sbom *catalog.SBOM) bool {
	for _, p := range sbom.Packages {
		switch p.Type {
		case catalog.TypeDeb, catalog.TypeApk, catalog.TypeRPM:
			return true
		}
	}
	return false
}

// age renders a duration the way --max-db-age is given: whole days from a
// day up, hours below.
func age(d time.Duration) string {
	if d < 24*time.Hour {
		return d.Round(time.Hour).String()
	}
	n := int(d / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}
