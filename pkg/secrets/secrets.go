// Package secrets finds credentials in text: cloud keys, private keys,
// tokens, passwords in URLs and literal values assigned to secret-looking
// names. Every analysis that looks for secrets baked into something (user
// data, environment variables, Dockerfiles, the files of an image) shares
// this one detector, so they agree on what a secret is.
//
// On immutable infrastructure a secret written into a template or an image
// ends up in every server ever started from it, and in state files and
// registries, and cannot be rotated without a rebuild; so it is worth
// finding, but only when the value is really there: a reference (${var.x},
// $(aws ssm ...), {{resolve:...}}) or a placeholder is the right way to pass
// a secret and must never match.
//
// The text may be a template's known text, where UnknownPart ("\x00")
// stands for a part known only after apply. Such a part is never part of a
// secret: a key beside it is found, but a value that holds one
// (PASSWORD=\x00) is a reference like ${var.x}, not a literal.
package secrets

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Match is one secret found in a text. It never carries the secret
// itself, so messages built from it are safe to print and stable.
type Match struct {
	// Kind says what was found, e.g. "AWS access key ID" or
	// "literal value assigned to DB_PASSWORD".
	Kind string
	// Line is 1-based within the scanned text.
	Line int
	// Hint is a redacted form that helps find the value, e.g. "AKIA****".
	Hint string

	col, end int // byte span within the line, for de-duplication
}

// Describe renders the match for a finding message.
func (m Match) Describe() string {
	s := m.Kind + " on line " + strconv.Itoa(m.Line)
	if m.Hint != "" {
		s += " (" + m.Hint + ")"
	}
	return s
}

// tokenPattern is a credential with a recognisable shape of its own.
type tokenPattern struct {
	kind string
	re   *regexp.Regexp
	// keep is how many leading characters of the match the hint shows;
	// -1 shows the whole match (for headers that are not secret).
	keep int
}

var tokenPatterns = []tokenPattern{
	{"AWS access key ID", regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b`), 4},
	{"private key", regexp.MustCompile(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`), -1},
	{"GitHub token", regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{36,}\b`), 4},
	{"GitHub token", regexp.MustCompile(`\bgithub_pat_[A-Za-z0-9_]{22,}\b`), 11},
	{"Slack token", regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`), 5},
	{"Slack webhook URL", regexp.MustCompile(`https://hooks\.slack\.com/(?:services|workflows)/T[A-Z0-9]+/[A-Z0-9]+/[A-Za-z0-9]{16,}`), 33},
	{"Stripe live key", regexp.MustCompile(`\b[rs]k_live_[A-Za-z0-9]{16,}\b`), 8},
}

// urlCredentials finds user:password@ in URLs such as
// postgres://app:hunter2@db:5432/app.
var urlCredentials = regexp.MustCompile(`\b([a-zA-Z][a-zA-Z0-9+.-]*)://([^\s:/@'"]+):([^\s@/'"]+)@`)

// awsSecretKeyName matches the conventional names of an AWS secret key.
var awsSecretKeyName = regexp.MustCompile(`(?i)^aws_?secret_?(?:access_?)?key$`)

var awsSecretKeyValue = regexp.MustCompile(`^[A-Za-z0-9/+]{40}$`)

// Find returns the secrets in text, in order of position. A value
// that is only a reference or a placeholder is not a secret.
func Find(text string) []Match {
	var out []Match
	for i, line := range strings.Split(text, "\n") {
		out = append(out, lineSecrets(line, i+1)...)
	}
	return out
}

func lineSecrets(line string, n int) []Match {
	var out []Match
	for _, p := range tokenPatterns {
		for _, loc := range p.re.FindAllStringIndex(line, -1) {
			tok := line[loc[0]:loc[1]]
			if strings.Contains(tok, "EXAMPLE") {
				// AWS's documented example keys (AKIAIOSFODNN7EXAMPLE).
				continue
			}
			out = append(out, Match{Kind: p.kind, Line: n, Hint: redact(tok, p.keep), col: loc[0], end: loc[1]})
		}
	}
	for _, m := range urlCredentials.FindAllStringSubmatchIndex(line, -1) {
		pw := line[m[6]:m[7]]
		if !IsLiteral(pw) || overlaps(out, m[6], m[7]) {
			continue
		}
		hint := line[m[2]:m[3]] + "://" + shown(line[m[4]:m[5]]) + ":****@"
		out = append(out, Match{Kind: "password in a URL", Line: n, Hint: hint, col: m[6], end: m[7]})
	}
	for _, a := range assignments(line) {
		if overlaps(out, a.start, a.end) || !IsSecretName(a.key) || !IsLiteral(a.value) {
			continue
		}
		kind := "literal value assigned to " + shown(a.key)
		if awsSecretKeyName.MatchString(a.key) && awsSecretKeyValue.MatchString(a.value) {
			if strings.Contains(a.value, "EXAMPLE") {
				continue
			}
			kind = "AWS secret access key assigned to " + shown(a.key)
		}
		out = append(out, Match{Kind: kind, Line: n, col: a.start, end: a.end})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].col < out[j].col })
	return out
}

// UnknownPart stands for a part of a template's text known only after
// apply (the model's Attribute.Template).
const UnknownPart = "\x00"

// shown writes the unknown parts of text that goes into a message as
// ${...}, since a message must not carry NUL bytes.
func shown(s string) string { return strings.ReplaceAll(s, UnknownPart, "${...}") }

func overlaps(ms []Match, start, end int) bool {
	for _, m := range ms {
		if start < m.end && m.col < end {
			return true
		}
	}
	return false
}

// redact keeps the first keep characters and masks the rest.
func redact(s string, keep int) string {
	if keep < 0 || keep >= len(s) {
		return s
	}
	return s[:keep] + strings.Repeat("*", len(s)-keep)
}

// assignment is key=value, key: value or "key": "value" on one line.
type assignment struct {
	key, value string
	start, end int // span of the value
}

// assignments finds the key/value pairs of a line in the syntaxes user data
// and configuration files use: shell (KEY=value, export KEY="v",
// --flag=value), INI and HCL (key = "v"), YAML (key: value), JSON
// ("key": "v"), and query strings (?token=v&...).
//
// Prose must not look like an assignment, so an unquoted value that follows
// a space or a colon counts only when the key starts the line and the value
// is one word that ends it ("password: hunter2", not "set the password: see
// the docs").
func assignments(line string) []assignment {
	var out []assignment
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c != '=' && c != ':' {
			continue
		}
		sepStart, sepEnd := i, i+1
		switch {
		case c == '=' && sepEnd < len(line) && line[sepEnd] == '>':
			sepEnd++ // Ruby/PHP "key" => "value"
		case c == '=' && sepEnd < len(line) && line[sepEnd] == '=':
			i++ // comparison
			continue
		case c == '=' && i > 0 && strings.IndexByte("=!<>", line[i-1]) >= 0:
			continue
		case c == ':' && sepEnd < len(line) && line[sepEnd] == '=':
			sepEnd++ // key := value
		case c == ':' && (strings.HasPrefix(line[sepEnd:], "//") || strings.HasPrefix(line[sepEnd:], ":")):
			i++ // URL scheme or ::
			continue
		}
		key, keyStart, quotedKey := keyBefore(line, sepStart)
		if key == "" {
			continue
		}
		a, ok := valueAfter(line, sepEnd)
		if !ok {
			continue
		}
		a.key = key
		if !a.quoted {
			spaced := a.start > sepEnd
			if c == ':' || spaced {
				if !keyStartsLine(line[:keyStart]) && !quotedKey {
					continue
				}
				rest := stripComment(strings.TrimSpace(line[a.start:]))
				if rest != a.value {
					continue
				}
			}
		}
		out = append(out, a.assignment)
		i = sepEnd - 1
	}
	return out
}

// keyBefore returns the key that ends right before the separator at sep.
func keyBefore(line string, sep int) (key string, start int, quoted bool) {
	j := sep
	for j > 0 && (line[j-1] == ' ' || line[j-1] == '\t') {
		j--
	}
	if j > 0 && (line[j-1] == '"' || line[j-1] == '\'') {
		q := line[j-1]
		k := strings.LastIndexByte(line[:j-1], q)
		if k < 0 {
			return "", 0, false
		}
		return strings.TrimLeft(line[k+1:j-1], "-"), k, true
	}
	end := j
	for j > 0 && isKeyByte(line[j-1]) {
		j--
	}
	key = strings.TrimLeft(line[j:end], "-")
	return key, j, false
}

func isKeyByte(b byte) bool {
	return b == '_' || b == '-' || b == '.' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

type parsedValue struct {
	assignment
	quoted bool
}

// valueAfter reads the value that starts after the separator.
func valueAfter(line string, from int) (parsedValue, bool) {
	j := from
	for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
		j++
	}
	if j >= len(line) {
		return parsedValue{}, false
	}
	if q := line[j]; q == '"' || q == '\'' || q == '`' {
		k := strings.IndexByte(line[j+1:], q)
		if k < 0 {
			return parsedValue{}, false
		}
		return parsedValue{assignment{value: line[j+1 : j+1+k], start: j + 1, end: j + 1 + k}, true}, true
	}
	k := j
	for k < len(line) && strings.IndexByte(" \t;&|,)}]\"'`<>", line[k]) < 0 {
		k++
	}
	if k == j {
		return parsedValue{}, false
	}
	return parsedValue{assignment{value: line[j:k], start: j, end: k}, false}, true
}

// keyStartsLine reports whether only indentation, a YAML list marker or a
// shell keyword precede the key.
func keyStartsLine(prefix string) bool {
	p := strings.TrimSpace(prefix)
	p = strings.TrimSpace(strings.TrimPrefix(p, "-"))
	switch p {
	case "", "export", "set", "declare", "local", "readonly", "ENV":
		return true
	}
	return false
}

func stripComment(s string) string {
	if i := strings.Index(s, " #"); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

// placeholderValues are values that stand for a secret without being one.
var placeholderValues = map[string]bool{
	"null": true, "nil": true, "none": true, "undefined": true, "true": true, "false": true,
	"yes": true, "no": true, "todo": true, "tbd": true, "fixme": true, "placeholder": true,
	"redacted": true, "replace_me": true, "replaceme": true, "replace-me": true,
	"required": true, "optional": true, "string": true, "sensitive": true,
}

// referencePrefixes start values that fetch a secret from elsewhere at
// run time or are filled in by a template engine.
var referencePrefixes = []string{
	"$", "`", "{{", "%{", "<%", "#{", "@@", "arn:", "file://", "fileb://",
	"var.", "local.", "data.", "module.", "each.", "self.",
}

var ssmPath = regexp.MustCompile(`^/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+$`)

var formatVerb = regexp.MustCompile(`^(?:%[-+# 0-9.]*[a-zA-Z]|%\([A-Za-z_]+\)[sd]|\{[0-9]*\})$`)

// IsLiteral reports whether v is a literal value rather than a
// reference, a template expression or a placeholder.
func IsLiteral(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return false
	}
	for _, p := range referencePrefixes {
		if strings.HasPrefix(v, p) {
			return false
		}
	}
	lower := strings.ToLower(v)
	switch {
	case strings.Contains(v, "${"), strings.Contains(v, "{{"), strings.Contains(v, "$("),
		strings.Contains(v, UnknownPart):
		return false
	case placeholderValues[lower]:
		return false
	case strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">"),
		strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]"):
		return false
	case strings.Contains(lower, "example"), strings.Contains(lower, "placeholder"),
		strings.HasPrefix(lower, "your"), strings.HasPrefix(lower, "my-"), strings.HasPrefix(lower, "my_"):
		return false
	case ssmPath.MatchString(v), formatVerb.MatchString(v):
		return false
	case sameRune(v):
		// "****", "xxxxxxxx", "..."
		return false
	}
	return true
}

func sameRune(s string) bool {
	var first rune
	for i, r := range s {
		if i == 0 {
			first = r
			continue
		}
		if unicode.ToLower(r) != unicode.ToLower(first) {
			return false
		}
	}
	return true
}

// secretWordSuffixes make a word secret when it is or ends with them, so
// that dbpassword and clientsecret count but tokenizer does not.
var secretWordSuffixes = []string{
	"password", "passwd", "passphrase", "secret", "token", "tokens", "credential", "credentials",
	"apikey", "privatekey", "secretkey", "accesskey", "signingkey", "encryptionkey", "masterkey",
}

// secretWords are secret only as whole words (bypass is not a password).
var secretWords = map[string]bool{"pass": true, "pwd": true}

// keyQualifiers make the following word "key" a secret: api_key, SECRET_KEY.
var keyQualifiers = map[string]bool{
	"api": true, "access": true, "secret": true, "private": true, "signing": true,
	"encryption": true, "master": true, "client": true, "auth": true, "app": true,
}

// notSecretLast are last words that make a name about a secret rather than
// the secret itself: DB_PASSWORD_ARN, TOKEN_TTL, SECRET_NAME.
var notSecretLast = map[string]bool{
	"arn": true, "arns": true, "id": true, "ids": true, "name": true, "names": true, "path": true,
	"file": true, "filename": true, "url": true, "uri": true, "endpoint": true, "ttl": true,
	"expiry": true, "expires": true, "expiration": true, "length": true, "len": true, "size": true,
	"min": true, "max": true, "param": true, "parameter": true, "ref": true, "version": true,
	"type": true, "enabled": true, "policy": true, "rotation": true, "region": true, "header": true,
	"location": true, "dir": true, "prefix": true, "count": true, "timeout": true, "field": true,
	"hash": true, "source": true, "provider": true, "mode": true,
}

// IsSecretName reports whether a key name looks like it holds a secret:
// DB_PASSWORD, apiToken, SECRET_KEY, spring.datasource.password; but not
// DB_PASSWORD_ARN or TOKEN_TTL, which name something about a secret.
func IsSecretName(name string) bool {
	words := nameWords(name)
	if len(words) == 0 || notSecretLast[words[len(words)-1]] {
		return false
	}
	for i, w := range words {
		if secretWords[w] {
			return true
		}
		for _, s := range secretWordSuffixes {
			if strings.HasSuffix(w, s) {
				return true
			}
		}
		if w == "key" && i > 0 && keyQualifiers[words[i-1]] {
			return true
		}
	}
	return false
}

// nameWords splits a name at separators and camelCase humps, lower-cased.
func nameWords(name string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(rs[i-1]):
			flush()
		case unicode.IsUpper(r) && i > 0 && unicode.IsUpper(rs[i-1]) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			flush() // "APIKey" -> api, key
		}
		cur = append(cur, r)
	}
	flush()
	return words
}
