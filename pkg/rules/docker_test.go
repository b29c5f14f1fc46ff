package rules

import (
	"reflect"
	"strings"
	"testing"

	dfload "github.com/fixity-sec/fixity/pkg/iac/dockerfile"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

func TestShCommands(t *testing.T) {
	tests := []struct {
		script string
		want   [][]string
	}{
		{"apt-get update && apt-get install -y curl", [][]string{{"apt-get", "update"}, {"apt-get", "install", "-y", "curl"}}},
		{"DEBIAN_FRONTEND=noninteractive sudo -E -u root apt-get install -y 'a b' \"c\"", [][]string{{"apt-get", "install", "-y", "a b", "c"}}},
		{"if true; then env A=1 apk add x; fi # apk add y", [][]string{{"true"}, {"apk", "add", "x"}}},
		{"set -e\necho a | tee b || exit 1", [][]string{{"set", "-e"}, {"echo", "a"}, {"tee", "b"}, {"exit", "1"}}},
		{"echo ${HOME}/x", [][]string{{"echo", "${HOME}/x"}}},
	}
	for _, tt := range tests {
		if got := shCommands(tt.script); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("shCommands(%q) = %q, want %q", tt.script, got, tt.want)
		}
	}
}

func TestPkgCommands(t *testing.T) {
	tests := []struct {
		script   string
		action   string
		packages []string
		loose    []string
	}{
		{"apt-get -y -o Dpkg::Options::=--force-confold install --no-install-recommends curl=8.5 git", "install", []string{"curl=8.5", "git"}, []string{"git"}},
		{"apk add --no-cache --virtual .deps gcc musl-dev=1.2.5-r0", "install", []string{"gcc", "musl-dev=1.2.5-r0"}, []string{"gcc"}},
		{"dnf -y install --setopt=tsflags=nodocs httpd-2.4.57 mod_ssl", "install", []string{"httpd-2.4.57", "mod_ssl"}, []string{"mod_ssl"}},
		{"zypper -n in -t pattern devel_basis vim=9.1", "install", []string{"devel_basis", "vim=9.1"}, []string{"devel_basis"}},
		{"apt-get dist-upgrade -y", "upgrade", nil, nil},
		{"yum update", "upgrade", nil, nil},
	}
	for _, tt := range tests {
		pcs := pkgCommands(tt.script)
		if len(pcs) != 1 {
			t.Fatalf("%q: %d commands", tt.script, len(pcs))
		}
		pc := pcs[0]
		var loose []string
		for _, p := range pc.packages {
			if !pkgPinned(pc.manager, p) {
				loose = append(loose, p)
			}
		}
		if pc.action != tt.action || !reflect.DeepEqual(pc.packages, tt.packages) || !reflect.DeepEqual(loose, tt.loose) {
			t.Errorf("%q: action %q packages %q loose %q; want %q %q %q", tt.script, pc.action, pc.packages, loose, tt.action, tt.packages, tt.loose)
		}
	}
	names := map[string]string{"openssh-server=1:9.6p1-3": "openssh-server", "openssh-server:amd64": "openssh-server"}
	for in, want := range names {
		if got := pkgName("apt", in); got != want {
			t.Errorf("pkgName(apt, %q) = %q, want %q", in, got, want)
		}
	}
	if got := pkgName("yum", "openssh-server-8.0p1"); got != "openssh-server" {
		t.Errorf("pkgName(yum) = %q", got)
	}
}

func TestSplitImageRef(t *testing.T) {
	tests := []struct{ ref, repo, tag, digest string }{
		{"alpine", "alpine", "", ""},
		{"alpine:3.20", "alpine", "3.20", ""},
		{"localhost:5000/team/app", "localhost:5000/team/app", "", ""},
		{"localhost:5000/team/app:1.2", "localhost:5000/team/app", "1.2", ""},
		{"alpine:3.20@sha256:abc", "alpine", "3.20", "sha256:abc"},
		{"alpine@sha256:abc", "alpine", "", "sha256:abc"},
	}
	for _, tt := range tests {
		repo, tag, digest := splitImageRef(tt.ref)
		if repo != tt.repo || tag != tt.tag || digest != tt.digest {
			t.Errorf("splitImageRef(%q) = %q %q %q", tt.ref, repo, tag, digest)
		}
	}
}

func TestWorldWritableMode(t *testing.T) {
	for mode, want := range map[string]bool{
		"777": true, "0777": true, "666": true, "o+w": true, "a+rwx": true, "u+x,o=rw": true, "0757": true,
		"755": false, "1777": false, "+w": false, "u+w,g+w": false, "+x": false, "644": false, "o+t": false, "ugo-w": false,
	} {
		if got := dfWorldWritableMode(mode); got != want {
			t.Errorf("dfWorldWritableMode(%q) = %v, want %v", mode, got, want)
		}
	}
}

func TestDockerSecretMessagesRedact(t *testing.T) {
	for _, arg := range []string{
		"DB_PASSWORD=hunter2-prod",
		"DATABASE_URL=postgres://app:s3cr3tpw@db/app",
		"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz9q2LKjQp",
		"TOKEN=ghp_4c8Yq2vTn9Lk3Wm7Xr1Bz5Jd0Hs6Fa2Qe8Up",
	} {
		msg := dfSecretInVariable("env", arg)
		_, value, _ := strings.Cut(arg, "=")
		if msg == "" || strings.Contains(msg, value) || strings.Contains(msg, "s3cr3tpw") {
			t.Errorf("%s: message %q", arg, msg)
		}
	}
}

// FuzzDockerRules runs every Dockerfile rule on whatever the loader makes
// of arbitrary input: no rule may panic or return a result without a
// resource, a message and a line.
func FuzzDockerRules(f *testing.F) {
	for _, s := range []string{
		"FROM a AS b\nUSER root\nFROM b\nRUN apt-get install -y curl | sh\n",
		"ARG X=1\nFROM $X\nCOPY --from=0 a b\nEXPOSE 20-30\nENV PASSWORD=x\n",
		"FROM scratch\nADD https://x/y /z\nRUN chmod 777 /\nRUN <<EOF\nsudo apk add openssh\nEOF\n",
		"FROM a\nRUN sh -c \"$(curl x)\" 'unterminated\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := dfload.Parse("Dockerfile", data)
		if err != nil || res == nil {
			return
		}
		st := &model.State{Resources: []*model.Resource{res}}
		for _, r := range dockerRules() {
			for _, out := range r.Check(st) {
				if out.Resource == nil || out.Message == "" || out.Range.StartLine < 1 {
					t.Fatalf("%s: bad result %+v", r.ID, out)
				}
			}
		}
	})
}
