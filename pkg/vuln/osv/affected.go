package osv

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fixity-sec/fixity/pkg/vuln/version"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
)

// Affected reports whether version of package pkg in ecosystem eco is
// affected by rec and, if so, the version that fixes it ("" when none is
// known). Versions its ecosystem cannot read count as not affected; use Check
// to see why.
func Affected(rec *Record, eco version.Ecosystem, pkg, ver string) (affected bool, fixed string) {
	affected, fixed, _ = Check(rec, eco, pkg, ver)
	return affected, fixed
}

// Check is Affected that also returns the version errors met on the way. A
// range that cannot be read is skipped and the others still count, so
// affected may be true alongside a non-nil error.
//
// Semantics (ossf.github.io/osv-schema, "Evaluation"):
//   - withdrawn records never match;
//   - an affected[] entry matches on package name and ecosystem; a record
//     for "Debian:12" matches eco "Debian:12" and also the bare "Debian";
//   - a version listed in versions[] is affected;
//   - ECOSYSTEM ranges use eco's ordering, SEMVER ranges SemVer; GIT ranges
//     speak of commits and are ignored here;
//   - events are sorted by version ("0" before all); walking them, introduced
//     <= v turns affected on, fixed <= v turns it off, last_affected < v turns
//     it off; a limit bounds the range from above (v must be below one).
func Check(rec *Record, eco version.Ecosystem, pkg, ver string) (affected bool, fixed string, err error) {
	if rec == nil || Withdrawn(rec) {
		return false, "", nil
	}
	var errs []error
	for _, a := range rec.GetAffected() {
		if !packageMatches(a.GetPackage(), eco, pkg) {
			continue
		}
		cmp, cerr := version.For(version.Ecosystem(a.GetPackage().GetEcosystem()))
		hit := slices.Contains(a.GetVersions(), ver)
		var fix string
		for _, r := range a.GetRanges() {
			var c version.Comparer
			switch r.GetType() {
			case osvschema.Range_ECOSYSTEM:
				if cerr != nil {
					errs = append(errs, cerr)
					continue
				}
				c = cmp
			case osvschema.Range_SEMVER:
				c = version.SemVer
			default:
				continue
			}
			in, f, rerr := inRange(c, r.GetEvents(), ver)
			if rerr != nil {
				errs = append(errs, fmt.Errorf("%s: %w", rec.GetId(), rerr))
				continue
			}
			if in && !hit {
				hit, fix = true, f
			} else if in && fix == "" {
				fix = f
			}
		}
		if hit {
			return true, fix, errors.Join(errs...)
		}
	}
	return false, "", errors.Join(errs...)
}

func packageMatches(p *osvschema.Package, eco version.Ecosystem, name string) bool {
	if p.GetName() != name {
		return false
	}
	re := version.Ecosystem(p.GetEcosystem())
	return re == eco || (eco.Base() == eco && re.Base() == eco)
}

type event struct {
	kind int // order among events at the same version: see kinds below
	ver  string
}

const (
	evIntroduced = iota
	evLastAffected
	evFixed
)

// inRange evaluates one range's events for v and returns the fixed version
// closing the interval v falls in, if any.
func inRange(cmp version.Comparer, evs []*osvschema.Event, v string) (bool, string, error) {
	var list []event
	var limits []string
	for _, e := range evs {
		switch {
		case e.GetIntroduced() != "":
			list = append(list, event{evIntroduced, e.GetIntroduced()})
		case e.GetFixed() != "":
			list = append(list, event{evFixed, e.GetFixed()})
		case e.GetLastAffected() != "":
			list = append(list, event{evLastAffected, e.GetLastAffected()})
		case e.GetLimit() != "":
			limits = append(limits, e.GetLimit())
		}
	}
	// A limit containing "*" is infinity: every version is below it, so the
	// range is unbounded, as if there were no limit at all.
	if slices.ContainsFunc(limits, func(l string) bool { return strings.Contains(l, "*") }) {
		limits = nil
	}
	// Validate every version first so that sorting never meets an error and
	// a malformed range is refused as a whole rather than half-read.
	if _, err := cmp(v, v); err != nil {
		return false, "", err
	}
	for _, e := range list {
		if e.kind == evIntroduced && e.ver == "0" {
			continue
		}
		if _, err := cmp(e.ver, e.ver); err != nil {
			return false, "", err
		}
	}
	for _, l := range limits {
		if _, err := cmp(l, l); err != nil {
			return false, "", err
		}
	}
	// cmpAt orders v against an event's version; introduced "0" is below
	// every version.
	cmpAt := func(v string, e event) int {
		if e.kind == evIntroduced && e.ver == "0" {
			return 1
		}
		c, _ := cmp(v, e.ver)
		return c
	}
	slices.SortStableFunc(list, func(a, b event) int {
		var c int
		switch {
		case a.kind == evIntroduced && a.ver == "0":
			c = -1
			if b.kind == evIntroduced && b.ver == "0" {
				c = 0
			}
		case b.kind == evIntroduced && b.ver == "0":
			c = 1
		default:
			c, _ = cmp(a.ver, b.ver)
		}
		if c != 0 {
			return c
		}
		return a.kind - b.kind
	})
	affected := false
	for _, e := range list {
		c := cmpAt(v, e)
		switch e.kind {
		case evIntroduced:
			if c >= 0 {
				affected = true
			}
		case evFixed:
			if c >= 0 {
				affected = false
			}
		case evLastAffected:
			if c > 0 {
				affected = false
			}
		}
	}
	if affected && len(limits) > 0 {
		below := false
		for _, l := range limits {
			if c, _ := cmp(v, l); c < 0 {
				below = true
				break
			}
		}
		affected = below
	}
	fix := ""
	if affected {
		// The fix is the first fixed event above v.
		for _, e := range list {
			if e.kind == evFixed && cmpAt(v, e) < 0 {
				fix = e.ver
				break
			}
		}
	}
	return affected, fix, nil
}
