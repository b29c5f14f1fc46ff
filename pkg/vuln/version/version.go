// Package version orders package versions the way each ecosystem's own
// package manager does. OSV ranges are only meaningful under the ordering of
// the ecosystem that published them, so there is no generic fallback: an
// ecosystem this package does not know is an error, not a guess.
package version

import (
	"errors"
	"fmt"
	"strings"
)

// Ecosystem is an OSV ecosystem name. Records may carry a suffix after a
// colon ("Debian:12", "Alpine:v3.19", "Red Hat:enterprise_linux:9::appstream");
// ordering depends only on the part before the first colon.
type Ecosystem string

// The ecosystems this package can order, spelled as OSV spells them.
const (
	Debian    Ecosystem = "Debian"
	Ubuntu    Ecosystem = "Ubuntu"
	Alpine    Ecosystem = "Alpine"
	RedHat    Ecosystem = "Red Hat"
	Rocky     Ecosystem = "Rocky Linux"
	AlmaLinux Ecosystem = "AlmaLinux"
	SUSE      Ecosystem = "SUSE"
	OpenSUSE  Ecosystem = "openSUSE"
	Go        Ecosystem = "Go"
)

// Base strips the release suffix: "Debian:12" -> "Debian".
func (e Ecosystem) Base() Ecosystem {
	if i := strings.IndexByte(string(e), ':'); i >= 0 {
		return e[:i]
	}
	return e
}

// ErrUnknownEcosystem is returned for an ecosystem without a known ordering.
var ErrUnknownEcosystem = errors.New("no version ordering for ecosystem")

// ParseError reports a version that its ecosystem's rules reject.
type ParseError struct {
	Ecosystem Ecosystem
	Version   string
	Reason    string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("invalid %s version %q: %s", e.Ecosystem, e.Version, e.Reason)
}

// Comparer orders two versions of one ecosystem: <0, 0, >0 like strings.Compare.
type Comparer func(a, b string) (int, error)

// For returns the ordering used by eco (release suffix ignored).
func For(eco Ecosystem) (Comparer, error) {
	switch eco.Base() {
	case Debian, Ubuntu:
		return compareDebian, nil
	case Alpine:
		return compareAlpine, nil
	case RedHat, Rocky, AlmaLinux, SUSE, OpenSUSE:
		return compareRPM, nil
	case Go:
		return compareGo, nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownEcosystem, string(eco))
}

// Compare orders a and b under eco's rules. It returns -1, 0 or +1, or an
// error when eco is unknown or either version is malformed.
func Compare(eco Ecosystem, a, b string) (int, error) {
	cmp, err := For(eco)
	if err != nil {
		return 0, err
	}
	return cmp(a, b)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// compareDigits compares two runs of decimal digits numerically without
// converting them, so arbitrarily long numbers neither overflow nor panic.
func compareDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return strings.Compare(a, b)
}
