package version

import "strings"

// RPM versions are [epoch:]version[-release], each part ordered by
// rpmvercmp (rpm lib/rpmvercmp.c), including ~ (sorts before everything,
// even the end) and ^ (sorts after the end but before anything else).

type rpmEVR struct{ epoch, version, release string }

func parseRPM(s string) (rpmEVR, error) {
	bad := func(why string) (rpmEVR, error) {
		return rpmEVR{}, &ParseError{Ecosystem: RedHat, Version: s, Reason: why}
	}
	v := strings.TrimSpace(s)
	if v == "" {
		return bad("empty")
	}
	e := rpmEVR{epoch: "0"}
	if i := strings.IndexByte(v, ':'); i >= 0 {
		e.epoch = v[:i]
		if e.epoch == "" {
			e.epoch = "0"
		}
		for j := 0; j < len(e.epoch); j++ {
			if !isDigit(e.epoch[j]) {
				return bad("epoch is not a number")
			}
		}
		v = v[i+1:]
	}
	if i := strings.LastIndexByte(v, '-'); i >= 0 {
		e.version, e.release = v[:i], v[i+1:]
		if e.release == "" {
			return bad("empty release")
		}
	} else {
		e.version = v
	}
	if e.version == "" {
		return bad("empty version")
	}
	return e, nil
}

func compareRPM(a, b string) (int, error) {
	ea, err := parseRPM(a)
	if err != nil {
		return 0, err
	}
	eb, err := parseRPM(b)
	if err != nil {
		return 0, err
	}
	if c := compareDigits(ea.epoch, eb.epoch); c != 0 {
		return c, nil
	}
	if c := rpmvercmp(ea.version, eb.version); c != 0 {
		return c, nil
	}
	return rpmvercmp(ea.release, eb.release), nil
}

func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }

func rpmvercmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && !isAlnum(a[i]) && a[i] != '~' && a[i] != '^' {
			i++
		}
		for j < len(b) && !isAlnum(b[j]) && b[j] != '~' && b[j] != '^' {
			j++
		}
		ai, bj := i < len(a), j < len(b)
		// ~ sorts before everything else, the end included.
		if ai && a[i] == '~' || bj && b[j] == '~' {
			if !ai || a[i] != '~' {
				return 1
			}
			if !bj || b[j] != '~' {
				return -1
			}
			i++
			j++
			continue
		}
		// ^ sorts after the end, before anything else.
		if ai && a[i] == '^' || bj && b[j] == '^' {
			if !ai {
				return -1
			}
			if !bj {
				return 1
			}
			if a[i] != '^' {
				return 1
			}
			if b[j] != '^' {
				return -1
			}
			i++
			j++
			continue
		}
		if !ai || !bj {
			break
		}
		si, sj := i, j
		isNum := isDigit(a[i])
		if isNum {
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
		} else {
			for i < len(a) && isAlpha(a[i]) {
				i++
			}
			for j < len(b) && isAlpha(b[j]) {
				j++
			}
		}
		// Segments of different kinds: numbers are newer than letters.
		if sj == j {
			if isNum {
				return 1
			}
			return -1
		}
		var c int
		if isNum {
			c = compareDigits(a[si:i], b[sj:j])
		} else {
			c = strings.Compare(a[si:i], b[sj:j])
		}
		if c != 0 {
			return c
		}
	}
	ai, bj := i < len(a), j < len(b)
	switch {
	case !ai && !bj:
		return 0
	case !ai:
		return -1
	}
	return 1
}
