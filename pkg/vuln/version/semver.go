package version

import "strings"

// Go module versions are SemVer 2.0 (semver.org) with a "v" prefix. OSV's Go
// records drop the "v"; both spellings are accepted. "+incompatible" is build
// metadata and, like all build metadata, does not affect precedence.
// Pseudo-versions (v0.0.0-20191109021931-daa7c04131f5) are valid prereleases
// and order correctly as such. As in golang.org/x/mod/semver, "v1" and "v1.2"
// are shorthands for v1.0.0 and v1.2.0.

type semver struct {
	major, minor, patch string
	pre                 []string
}

// SemVer is the ordering OSV prescribes for SEMVER ranges, whatever the
// ecosystem.
func SemVer(a, b string) (int, error) { return compareGo(a, b) }

func parseSemver(s string) (semver, error) {
	bad := func(why string) (semver, error) {
		return semver{}, &ParseError{Ecosystem: Go, Version: s, Reason: why}
	}
	v := strings.TrimPrefix(s, "v")
	if i := strings.IndexByte(v, '+'); i >= 0 {
		if !validIdents(v[i+1:], false) {
			return bad("invalid build metadata")
		}
		v = v[:i]
	}
	var pre string
	hasPre := false
	if i := strings.IndexByte(v, '-'); i >= 0 {
		v, pre, hasPre = v[:i], v[i+1:], true
		if !validIdents(pre, true) {
			return bad("invalid prerelease")
		}
	}
	parts := strings.Split(v, ".")
	if len(parts) > 3 {
		return bad("too many components")
	}
	for _, p := range parts {
		if !numeric(p) {
			return bad("components must be numbers")
		}
		if len(p) > 1 && p[0] == '0' {
			return bad("leading zero")
		}
	}
	for len(parts) < 3 {
		parts = append(parts, "0")
	}
	sv := semver{major: parts[0], minor: parts[1], patch: parts[2]}
	if hasPre {
		sv.pre = strings.Split(pre, ".")
	}
	return sv, nil
}

func numeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// validIdents checks dot-separated identifiers of [0-9A-Za-z-]; numeric
// prerelease identifiers must not have leading zeros.
func validIdents(s string, pre bool) bool {
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		for i := 0; i < len(id); i++ {
			if !isAlnum(id[i]) && id[i] != '-' {
				return false
			}
		}
		if pre && numeric(id) && len(id) > 1 && id[0] == '0' {
			return false
		}
	}
	return true
}

func compareGo(a, b string) (int, error) {
	va, err := parseSemver(a)
	if err != nil {
		return 0, err
	}
	vb, err := parseSemver(b)
	if err != nil {
		return 0, err
	}
	for _, p := range [][2]string{{va.major, vb.major}, {va.minor, vb.minor}, {va.patch, vb.patch}} {
		if c := compareDigits(p[0], p[1]); c != 0 {
			return c, nil
		}
	}
	// A version without prerelease has higher precedence (semver.org §11).
	switch {
	case va.pre == nil && vb.pre == nil:
		return 0, nil
	case va.pre == nil:
		return 1, nil
	case vb.pre == nil:
		return -1, nil
	}
	for i := 0; i < len(va.pre) && i < len(vb.pre); i++ {
		x, y := va.pre[i], vb.pre[i]
		xn, yn := numeric(x), numeric(y)
		var c int
		switch {
		case xn && yn:
			c = compareDigits(x, y)
		case xn:
			c = -1 // numeric identifiers sort before alphanumeric ones
		case yn:
			c = 1
		default:
			c = strings.Compare(x, y)
		}
		if c != 0 {
			return c, nil
		}
	}
	return sign(len(va.pre) - len(vb.pre)), nil
}
