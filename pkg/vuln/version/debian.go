package version

import "strings"

// Debian versions are [epoch:]upstream[-revision], ordered by dpkg's
// verrevcmp (deb-version(7), dpkg lib/dpkg/version.c).

type debVersion struct {
	epoch    string // digits, leading zeros kept; compared numerically
	upstream string
	revision string
}

func parseDebian(s string) (debVersion, error) {
	bad := func(why string) (debVersion, error) {
		return debVersion{}, &ParseError{Ecosystem: Debian, Version: s, Reason: why}
	}
	v := strings.TrimSpace(s)
	if v == "" {
		return bad("empty")
	}
	var d debVersion
	d.epoch = "0"
	if i := strings.IndexByte(v, ':'); i >= 0 {
		d.epoch = v[:i]
		if d.epoch == "" {
			return bad("empty epoch")
		}
		for j := 0; j < len(d.epoch); j++ {
			if !isDigit(d.epoch[j]) {
				return bad("epoch is not a number")
			}
		}
		v = v[i+1:]
	}
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		d.revision = v[i+1:]
		v = v[:i]
		if d.revision == "" {
			return bad("empty revision")
		}
	}
	d.upstream = v
	if d.upstream == "" {
		return bad("empty upstream version")
	}
	// dpkg allows alphanumerics and . + ~ in both parts, plus - and : in the
	// upstream part (a - only when a revision exists, a : only after an epoch;
	// the splitting above already enforces both).
	for i := 0; i < len(d.upstream); i++ {
		c := d.upstream[i]
		if !isDigit(c) && !isAlpha(c) && !strings.ContainsRune(".+~-:", rune(c)) {
			return bad("invalid character in upstream version")
		}
	}
	for i := 0; i < len(d.revision); i++ {
		c := d.revision[i]
		if !isDigit(c) && !isAlpha(c) && !strings.ContainsRune(".+~", rune(c)) {
			return bad("invalid character in revision")
		}
	}
	return d, nil
}

func compareDebian(a, b string) (int, error) {
	va, err := parseDebian(a)
	if err != nil {
		return 0, err
	}
	vb, err := parseDebian(b)
	if err != nil {
		return 0, err
	}
	if c := compareDigits(va.epoch, vb.epoch); c != 0 {
		return c, nil
	}
	if c := verrevcmp(va.upstream, vb.upstream); c != 0 {
		return c, nil
	}
	// A missing revision orders like an empty one, which verrevcmp puts
	// after "~" and before everything else, as dpkg does.
	return verrevcmp(va.revision, vb.revision), nil
}

// debOrder is dpkg's order(): ~ before the end of the string, the end before
// letters, letters before other characters. Digits never reach it inside a
// non-digit run except as the terminator, where they weigh like the end.
func debOrder(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c := s[i]
	switch {
	case isDigit(c):
		return 0
	case isAlpha(c):
		return int(c)
	case c == '~':
		return -1
	}
	return int(c) + 256
}

func verrevcmp(a, b string) int {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for (i < len(a) && !isDigit(a[i])) || (j < len(b) && !isDigit(b[j])) {
			ac, bc := debOrder(a, i), debOrder(b, j)
			if ac != bc {
				return sign(ac - bc)
			}
			i++
			j++
		}
		si := i
		for i < len(a) && isDigit(a[i]) {
			i++
		}
		sj := j
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		if c := compareDigits(a[min(si, len(a)):min(i, len(a))], b[min(sj, len(b)):min(j, len(b))]); c != 0 {
			return c
		}
	}
	return 0
}
