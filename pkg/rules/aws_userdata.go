package rules

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// userDataText is the decoded user data of one attribute.
type userDataText struct {
	attr *model.Attribute
	text string
}

// maxUserData bounds decompression: EC2 user data is at most 16 KB, so
// anything much bigger is not user data.
const maxUserData = 1 << 20

// userDataOf returns the known user data of an instance, launch template or
// launch configuration as text. Launch templates and the *_base64
// attributes carry base64; plain user_data is also decoded when it is
// base64 of text. Gzip, which cloud-init accepts, is unpacked. User data
// that is unknown because of a part of its template gives the template's
// known text (see attrText).
func userDataOf(res *model.Resource) []userDataText {
	var out []userDataText
	for _, name := range []string{"user_data", "user_data_base64"} {
		a := res.Attr(name)
		s, known, ok := attrText(a)
		if !ok || s == "" {
			continue
		}
		if known {
			wantBase64 := name == "user_data_base64" || res.Type == "aws_launch_template"
			s = decodeUserData(s, wantBase64)
		}
		out = append(out, userDataText{attr: a, text: s})
	}
	return out
}

// attrText returns the text of an attribute that rules read for secrets
// or commands. known is true for a known value. For an unknown value built
// from a template, it is the template's text with each unknown part as
// "\x00" (model.Attribute.Template), already without the base64 encoding
// the template may be wrapped in: the literal text is known even when an
// interpolated region or ID is not. ok is false when there is neither.
func attrText(a *model.Attribute) (text string, known, ok bool) {
	if s, ok := a.String(); ok {
		return s, true, true
	}
	if a != nil && !a.Value.IsKnown() && a.Template != "" {
		return a.Template, false, true
	}
	return "", false, false
}

func decodeUserData(s string, wantBase64 bool) string {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	if len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		if zr, err := gzip.NewReader(bytes.NewReader(raw)); err == nil {
			if b, err := io.ReadAll(io.LimitReader(zr, maxUserData)); err == nil {
				raw = b
			}
		}
	}
	if wantBase64 || utf8.Valid(raw) && printable(raw) {
		return string(raw)
	}
	return s
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}

// cmAgent recognises one configuration-management agent in user data.
type cmAgent struct {
	name string
	re   *regexp.Regexp
}

// cmAgents are the agents that change a server after boot. Shell commands
// and the matching cloud-config modules both count.
var cmAgents = []cmAgent{
	{"puppet", regexp.MustCompile(`(?i)\bpuppet(?:-agent)?\s+agent\b|\b(?:install|apt|yum|dnf|zypper|rpm|dpkg)\b.*\bpuppet(?:-agent|labs-release\S*)?\b|/opt/puppetlabs/|^\s*puppet:\s*$`)},
	{"chef", regexp.MustCompile(`(?i)\bchef-(?:client|solo)\b|omnitruck\.chef\.io|\b(?:install|apt|yum|dnf|zypper|rpm|dpkg)\b.*\bchef\b|^\s*chef:\s*$`)},
	{"salt-minion", regexp.MustCompile(`(?i)\bsalt-(?:minion|call)\b|bootstrap-salt|^\s*salt_minion:\s*$`)},
	{"ansible-pull", regexp.MustCompile(`(?i)\bansible-pull\b|^\s*ansible:\s*$`)},
}

// configAgents returns the agents user data installs or runs, sorted, and
// the first line that mentions one. Comment lines are not commands, but
// the shebang-free #cloud-config header is not a comment either.
func configAgents(text string) (agents []string, line int) {
	seen := map[string]bool{}
	for i, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "#") {
			continue
		}
		for _, a := range cmAgents {
			if !seen[a.name] && a.re.MatchString(l) {
				seen[a.name] = true
				agents = append(agents, a.name)
				if line == 0 {
					line = i + 1
				}
			}
		}
	}
	sort.Strings(agents)
	return agents, line
}
