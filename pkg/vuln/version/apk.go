package version

// Alpine versions follow apk-tools' grammar and ordering (src/version.c):
// numbers separated by dots, an optional letter, any number of _suffix[N]
// parts, an optional -rN revision. This is a port of apk-tools 2.x's token
// machine, kept close to the C so that it can be checked against it.

const (
	apkInvalid = iota - 1
	apkDigitOrZero
	apkDigit
	apkLetter
	apkSuffix
	apkSuffixNo
	apkRevisionNo
	apkEnd
)

var (
	apkPreSuffixes  = []string{"alpha", "beta", "pre", "rc"}
	apkPostSuffixes = []string{"cvs", "svn", "git", "hg", "p"}
)

// apkMaxNumber caps numeric tokens so huge numbers cannot overflow. Two
// numbers beyond it compare equal, which keeps the ordering antisymmetric.
const apkMaxNumber = int64(1) << 60

type apkLexer struct {
	s string
	i int
	// emptyNumber: the next number token is the empty one after a run of
	// leading zeros (value 0, nothing to read).
	emptyNumber bool
}

func (l *apkLexer) rest() int { return len(l.s) - l.i }

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

// next decides the type of the token that starts at the current position
// (apk's next_token).
func (l *apkLexer) next(t *int) {
	n := apkInvalid
	switch {
	case l.rest() == 0:
		n = apkEnd
	case (*t == apkDigit || *t == apkDigitOrZero) && isLower(l.s[l.i]):
		n = apkLetter
	case *t == apkLetter && isDigit(l.s[l.i]):
		n = apkDigit
	case *t == apkSuffix && isDigit(l.s[l.i]):
		n = apkSuffixNo
	default:
		switch l.s[l.i] {
		case '.':
			n = apkDigitOrZero
		case '_':
			n = apkSuffix
		case '-':
			if l.rest() > 1 && l.s[l.i+1] == 'r' {
				n = apkRevisionNo
				l.i++
			}
		}
		l.i++
	}
	if n < *t {
		if !((n == apkDigitOrZero && *t == apkDigit) ||
			(n == apkSuffix && *t == apkSuffixNo) ||
			(n == apkDigit && *t == apkLetter)) {
			n = apkInvalid
		}
	}
	*t = n
}

// get reads the value of a token of type *t and advances to the next one
// (apk's get_token).
func (l *apkLexer) get(t *int) int64 {
	if l.rest() <= 0 {
		// A separator with nothing after it ("1.", "1_", "1-r") is malformed.
		if *t == apkDigitOrZero || *t == apkSuffix || *t == apkRevisionNo {
			*t = apkInvalid
			return -1
		}
		*t = apkEnd
		return 0
	}
	var v int64
	nt := apkInvalid
	start := l.i
	switch *t {
	case apkDigitOrZero:
		if l.s[l.i] == '0' {
			// Leading zeros: "1.01" < "1.1" and more zeros sort lower.
			// What follows is a number token of its own: the digits, or
			// an empty number before '.', a letter or a revision, as in
			// apk ("1.0.1" < "1.06"). Before a suffix apk 2.x read that
			// empty number too, which made "1.0_rc1" > "1.0"; apk-tools'
			// test data says "6.0_pre1 < 6.0", so there it is not read.
			for l.i < len(l.s) && l.s[l.i] == '0' {
				l.i++
			}
			v = -int64(l.i - start)
			if l.rest() > 0 && l.s[l.i] == '_' {
				*t = apkDigit
			} else {
				nt = apkDigit
				l.emptyNumber = l.rest() > 0 && !isDigit(l.s[l.i])
			}
			break
		}
		fallthrough
	case apkDigit, apkSuffixNo, apkRevisionNo:
		if l.emptyNumber {
			l.emptyNumber = false
			break
		}
		for l.i < len(l.s) && isDigit(l.s[l.i]) {
			if v < apkMaxNumber {
				v = v*10 + int64(l.s[l.i]-'0')
			}
			l.i++
		}
		// Only a suffix number may be absent ("_rc" is "_rc0"); an empty
		// component ("1..0", "1.0-r") is malformed.
		if l.i == start && *t != apkSuffixNo {
			*t = apkInvalid
			return -1
		}
	case apkLetter:
		v = int64(l.s[l.i])
		l.i++
	case apkSuffix:
		found := false
		for k, suf := range apkPreSuffixes {
			if hasPrefixAt(l.s, l.i, suf) {
				v = int64(k - len(apkPreSuffixes))
				l.i += len(suf)
				found = true
				break
			}
		}
		if !found {
			for k, suf := range apkPostSuffixes {
				if hasPrefixAt(l.s, l.i, suf) {
					v = int64(k)
					l.i += len(suf)
					found = true
					break
				}
			}
		}
		if !found {
			*t = apkInvalid
			return -1
		}
	default:
		*t = apkInvalid
		return -1
	}
	switch {
	case l.rest() == 0:
		*t = apkEnd
	case nt != apkInvalid:
		*t = nt
	default:
		l.next(t)
	}
	return v
}

func hasPrefixAt(s string, i int, p string) bool {
	return len(s)-i >= len(p) && s[i:i+len(p)] == p
}

func validAlpine(s string) error {
	if s == "" {
		return &ParseError{Ecosystem: Alpine, Version: s, Reason: "empty"}
	}
	l := apkLexer{s: s}
	t := apkDigit
	for t != apkEnd && t != apkInvalid {
		l.get(&t)
	}
	if t == apkInvalid {
		return &ParseError{Ecosystem: Alpine, Version: s, Reason: "not an apk version"}
	}
	return nil
}

func compareAlpine(a, b string) (int, error) {
	if err := validAlpine(a); err != nil {
		return 0, err
	}
	if err := validAlpine(b); err != nil {
		return 0, err
	}
	la, lb := apkLexer{s: a}, apkLexer{s: b}
	at, bt := apkDigit, apkDigit
	var av, bv int64
	for at == bt && at != apkEnd && at != apkInvalid && av == bv {
		av = la.get(&at)
		bv = lb.get(&bt)
	}
	switch {
	case av < bv:
		return -1, nil
	case av > bv:
		return 1, nil
	case at == bt:
		return 0, nil
	}
	// Equal so far and one side goes on: the longer one is newer, unless
	// what follows is a pre-release suffix (1.0_rc1 < 1.0).
	if at == apkSuffix {
		t, l := at, la
		if l.get(&t) < 0 {
			return -1, nil
		}
	}
	if bt == apkSuffix {
		t, l := bt, lb
		if l.get(&t) < 0 {
			return 1, nil
		}
	}
	if at > bt {
		return -1, nil
	}
	return 1, nil
}
