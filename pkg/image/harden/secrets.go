package harden

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/fixity-sec/fixity/pkg/secrets"
)

// maxScan bounds the files read for secrets: credentials live in small
// text files, and a bound keeps one huge file from costing a scan its
// memory.
const maxScan = 1 << 20

// maxListed is how many matches one message lists before "and N more".
const maxListed = 3

// readBounded reads at most max bytes; ok is false when there were more
// or the read failed. Walk then reports the failure itself: a layer's as
// the error that stops it, a root filesystem file's in the
// *image.IncompleteError it returns at the end.
func readBounded(r io.Reader, max int64) ([]byte, bool) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil || int64(len(b)) > max {
		return nil, false
	}
	return b, true
}

// credentialFile names the files whose whole purpose is to hold a
// credential; in them every secret the detector knows counts. Elsewhere
// only secrets with a shape of their own do (a key header, an AWS key ID),
// since "password: x" in documentation and test data is common in images.
func credentialFile(p string) string {
	base := path.Base(p)
	parent := path.Base(path.Dir(p))
	switch {
	case base == ".npmrc":
		return "npm configuration"
	case base == ".pypirc":
		return "PyPI configuration"
	case base == "config.json" && parent == ".docker":
		return "Docker client configuration"
	case (base == "credentials" || base == "config") && parent == ".aws":
		return "AWS credentials file"
	case base == ".git-credentials":
		return "Git credentials file"
	case base == ".netrc":
		return "netrc file"
	case base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env"):
		return "environment file"
	case base == "id_rsa" || base == "id_dsa" || base == "id_ecdsa" || base == "id_ed25519" || base == "id_ecdsa_sk" || base == "id_ed25519_sk":
		return "SSH private key file"
	}
	return ""
}

// shapedMarkers are substrings without which no shaped secret can be in a
// file: a cheap test that keeps the detector off almost every file.
var shapedMarkers = [][]byte{
	[]byte("PRIVATE KEY"), []byte("AKIA"), []byte("ASIA"), []byte("ABIA"), []byte("ACCA"), []byte("A3T"),
	[]byte("ghp_"), []byte("gho_"), []byte("ghu_"), []byte("ghs_"), []byte("ghr_"), []byte("github_pat_"),
	[]byte("xox"), []byte("hooks.slack.com"), []byte("_live_"),
}

// shaped reports whether a match is a secret by its own shape rather than
// by the name it is assigned to.
func shaped(m secrets.Match) bool {
	return !strings.HasPrefix(m.Kind, "literal value assigned") && m.Kind != "password in a URL"
}

// checkSecrets looks for credentials in the content b of a regular file.
func (c *checker) checkSecrets(f image.File, b []byte) {
	if bytes.IndexByte(b, 0) >= 0 {
		return // binary
	}
	kind := credentialFile(f.Path)
	var found []string
	if kind != "" {
		found = credentialSecrets(f.Path, b)
	} else {
		for _, mk := range shapedMarkers {
			if bytes.Contains(b, mk) {
				for _, m := range secrets.Find(string(b)) {
					if shaped(m) {
						found = append(found, m.Describe())
					}
				}
				break
			}
		}
	}
	if len(found) == 0 {
		return
	}
	what := f.Path + " holds "
	if kind != "" {
		what = f.Path + " (" + kind + ") holds "
	}
	c.add(BakedSecret, f.Path, what+listed(found)+", in layer "+strconv.Itoa(f.Layer)+c.fate(f))
}

// fate says what later layers did to a file that is still in the image.
func (c *checker) fate(f image.File) string {
	switch {
	case f.Deleted:
		if l := c.hist.deletedBy(f.Path, f.Layer); l >= 0 {
			return fmt.Sprintf("; deleted in layer %d but still in the image", l)
		}
		return "; deleted in a later layer but still in the image"
	case f.Replaced:
		if l := c.hist.replacedBy(f.Path, f.Layer); l >= 0 {
			return fmt.Sprintf("; replaced in layer %d but still in the image", l)
		}
		return "; replaced in a later layer but still in the image"
	}
	return ""
}

// credentialSecrets finds the secrets of a credential file: everything the
// detector knows, plus the fields of formats it cannot read as key=value.
func credentialSecrets(p string, b []byte) []string {
	var out []string
	for _, m := range secrets.Find(string(b)) {
		out = append(out, m.Describe())
	}
	switch base := path.Base(p); {
	case base == "config.json":
		out = append(out, dockerAuths(b)...)
	case base == ".npmrc":
		out = append(out, npmAuths(b)...)
	case base == ".netrc":
		out = append(out, netrcPasswords(b)...)
	}
	return out
}

// dockerAuths lists the registries a Docker config holds credentials for
// (auths.<host>.auth or identitytoken; a credsStore only names a helper).
func dockerAuths(b []byte) []string {
	var cfg struct {
		Auths map[string]struct {
			Auth          string `json:"auth"`
			IdentityToken string `json:"identitytoken"`
			Password      string `json:"password"`
		} `json:"auths"`
	}
	if json.Unmarshal(b, &cfg) != nil {
		return nil
	}
	var hosts []string
	for h, a := range cfg.Auths {
		if a.Auth != "" || a.IdentityToken != "" || a.Password != "" {
			hosts = append(hosts, h)
		}
	}
	if len(hosts) == 0 {
		return nil
	}
	sort.Strings(hosts)
	return []string{"registry credentials for " + strings.Join(hosts, ", ")}
}

// npmAuths finds _auth and _password, which the detector does not take for
// secret names (_authToken it does).
func npmAuths(b []byte) []string {
	var out []string
	for i, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		if j := strings.LastIndexByte(k, ':'); j >= 0 {
			k = k[j+1:]
		}
		if (k == "_auth" || k == "_password") && secrets.IsLiteral(strings.Trim(strings.TrimSpace(v), `"'`)) {
			out = append(out, fmt.Sprintf("npm %s on line %d", k, i+1))
		}
	}
	return out
}

// netrcPasswords finds "password <value>" tokens.
func netrcPasswords(b []byte) []string {
	var out []string
	for i, line := range strings.Split(string(b), "\n") {
		fields := strings.Fields(line)
		for j := 0; j+1 < len(fields); j++ {
			if fields[j] == "password" && secrets.IsLiteral(fields[j+1]) {
				out = append(out, fmt.Sprintf("netrc password on line %d", i+1))
				break
			}
		}
	}
	return out
}

func listed(xs []string) string {
	xs = dedupe(xs)
	if len(xs) > maxListed {
		return strings.Join(xs[:maxListed], ", ") + fmt.Sprintf(" and %d more", len(xs)-maxListed)
	}
	return strings.Join(xs, ", ")
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
