package harden

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/fixity-sec/fixity/pkg/image/imagetest"
	"github.com/fixity-sec/fixity/pkg/image/layertest"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Credential-shaped test values are assembled at run time so that this file
// itself never looks like it leaks one.
var (
	fakeAKIA   = "AKIA" + "Z7QXRB4MNT2PLWUD"
	fakeSecret = "q8Xz" + strings.Repeat("Ab3/", 9)
	pemOpenSSH = "-----BEGIN " + "OPENSSH PRIVATE KEY-----"
	pemRSA     = "-----BEGIN " + "RSA PRIVATE KEY-----"
	elfHeader  = "\x7fELF\x02\x01\x01\x00"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return now }

// fileLayers is an image with something for every file rule, across three
// layers: 0 the base, 1 the build, 2 the clean-up.
func fileLayers(t testing.TB) []v1.Layer {
	base := layertest.Layer(t,
		layertest.Dir("etc/"),
		layertest.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nadmin:x:0:0::/:/bin/sh\napp:x:65532:65532::/home/app:/sbin/nologin\n"),
		layertest.Dir("etc/pam.d/"),
		layertest.File("etc/pam.d/sshd", "@include common-auth\n"),
		layertest.Dir("usr/"), layertest.Dir("usr/bin/"), layertest.Dir("usr/sbin/"),
		layertest.Dir("usr/local/"), layertest.Dir("usr/local/bin/"),
		layertest.Exe("usr/sbin/sshd", elfHeader+"sshd"),
		layertest.WithMode(layertest.Exe("usr/bin/passwd", elfHeader+"passwd"), 0o4755),
		layertest.WithMode(layertest.Exe("usr/bin/sudo", elfHeader+"sudo"), 0o4755),
		layertest.WithMode(layertest.Exe("usr/local/bin/passwd", elfHeader+"not the real one"), 0o4755),
		layertest.WithOwner(layertest.WithMode(layertest.File("usr/local/bin/report", elfHeader+"report"), 0o2755), 0, 50),
		layertest.WithMode(layertest.File("usr/local/bin/inert", "setuid but not executable"), 0o4644),
		layertest.Dir("var/"), layertest.Dir("var/lib/"), layertest.Dir("var/lib/dpkg/"), layertest.Dir("var/lib/dpkg/info/"),
		layertest.File("var/lib/dpkg/info/openssh-server.list", "/usr/sbin/sshd\n"),
		layertest.File("var/lib/dpkg/info/vsftpd.list", "/usr/sbin/vsftpd\n"),
		layertest.File("var/lib/dpkg/info/bash.list", "/bin/bash\n"),
		layertest.WithMode(layertest.Dir("tmp/"), 0o1777),
		layertest.WithMode(layertest.Dir("data/"), 0o777),
		layertest.WithMode(layertest.Dir("srv/"), 0o757),
		layertest.WithMode(layertest.Dir("root/"), 0o700), layertest.WithMode(layertest.Dir("root/.ssh/"), 0o700),
		layertest.File("root/.ssh/id_ed25519", pemOpenSSH+"\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"),
		layertest.File("root/.ssh/id_ed25519.pub", "ssh-ed25519 AAAAC3Nza root@build\n"),
		layertest.Dir("usr/share/"), layertest.Dir("usr/share/doc/"),
		layertest.File("usr/share/doc/README", "Set the password: hunter2 in the config.\npassword: hunter2\n"),
		layertest.File("usr/share/doc/binary.bin", "\x00"+pemRSA),
	)
	build := layertest.Layer(t,
		layertest.WithMode(layertest.Dir("root/"), 0o700), layertest.WithMode(layertest.Dir("root/.aws/"), 0o700),
		layertest.File("root/.aws/credentials", "[default]\naws_access_key_id = "+fakeAKIA+"\naws_secret_access_key = "+fakeSecret+"\n"),
		layertest.Dir("app/"),
		layertest.File("app/.env", "DB_PASSWORD=hunter2\n"),
		layertest.File("app/server.pem", pemRSA+"\nMIIE\n-----END RSA PRIVATE KEY-----\n"),
		layertest.File("app/.npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_auth=dXNlcjpwYXNz\n"),
		layertest.WithMode(layertest.Dir("root/.docker/"), 0o700),
		layertest.File("root/.docker/config.json", `{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"},"docker.io":{}},"credsStore":"desktop"}`),
		layertest.File("app/public.npmrc", "registry=https://registry.npmjs.org/\n"),
	)
	cleanup := layertest.Layer(t,
		layertest.Whiteout("root/.aws/.wh.credentials"),
		layertest.Whiteout("root/.wh..docker"),
		layertest.File("app/.env", "DB_PASSWORD=${DB_PASSWORD}\n"),
	)
	return []v1.Layer{base, build, cleanup}
}

func safeConfig() v1.Config { return v1.Config{User: "65532:65532"} }

// line renders a finding for comparison.
func line(f finding.Finding) string { return f.RuleID + " " + f.File + " | " + f.Message }

func check(t *testing.T, img *image.Image) []string {
	t.Helper()
	fs, err := Check(context.Background(), img, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, line(f))
		if f.Resource != img.Ref {
			t.Errorf("%s: resource %q, want %q", f.RuleID, f.Resource, img.Ref)
		}
		if r := rule(f.RuleID); f.Severity != r.Severity || f.Title != r.Title || f.Remediation != r.Remediation || len(f.References) == 0 {
			t.Errorf("%s: metadata not carried: %+v", f.RuleID, f)
		}
	}
	return out
}

func diff(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings mismatch\n--- got\n%s\n--- want\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestFileRules(t *testing.T) {
	img := imagetest.Image(t, safeConfig(), now, fileLayers(t)...)
	want := []string{
		"FX-IMG-001 /usr/sbin/sshd | OpenSSH server binary /usr/sbin/sshd, added in layer 0",
		"FX-IMG-002 /var/lib/dpkg/info/vsftpd.list | package vsftpd is installed (dpkg), added in layer 0",
		"FX-IMG-004 /usr/bin/sudo | /usr/bin/sudo is setuid (owner uid 0), mode 4755, added in layer 0; sudo lets the workload become root",
		"FX-IMG-004 /usr/local/bin/passwd | /usr/local/bin/passwd is setuid (owner uid 0), mode 4755, added in layer 0",
		"FX-IMG-004 /usr/local/bin/report | /usr/local/bin/report is setgid (group gid 50), mode 2755, added in layer 0",
		"FX-IMG-005 /data | /data is world-writable without the sticky bit, mode 0777, added in layer 0",
		"FX-IMG-005 /srv | /srv is world-writable without the sticky bit, mode 0757, added in layer 0",
		"FX-IMG-006 /app/.env | /app/.env (environment file) holds literal value assigned to DB_PASSWORD on line 1, in layer 1; replaced in layer 2 but still in the image",
		"FX-IMG-006 /app/.npmrc | /app/.npmrc (npm configuration) holds npm _auth on line 2, in layer 1",
		"FX-IMG-006 /app/server.pem | /app/server.pem holds private key on line 1 (" + pemRSA + "), in layer 1",
		"FX-IMG-006 /root/.aws/credentials | /root/.aws/credentials (AWS credentials file) holds AWS access key ID on line 2 (AKIA****************), AWS secret access key assigned to aws_secret_access_key on line 3, in layer 1; deleted in layer 2 but still in the image",
		"FX-IMG-006 /root/.docker/config.json | /root/.docker/config.json (Docker client configuration) holds registry credentials for ghcr.io, in layer 1; deleted in layer 2 but still in the image",
		"FX-IMG-006 /root/.ssh/id_ed25519 | /root/.ssh/id_ed25519 (SSH private key file) holds private key on line 1 (" + pemOpenSSH + "), in layer 0",
	}
	diff(t, check(t, img), want)
}

func TestConfigRules(t *testing.T) {
	passwd := layertest.Layer(t, layertest.Dir("etc/"), layertest.File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n"))
	tests := []struct {
		name    string
		cfg     v1.Config
		created time.Time
		want    []string
	}{
		{"non-root, fresh, no ports", safeConfig(), now.Add(-24 * time.Hour), nil},
		{"empty user is root", v1.Config{}, now, []string{
			"FX-IMG-003  | config user is empty, so the image runs as root",
		}},
		{"root by name", v1.Config{User: "root"}, now, []string{`FX-IMG-003  | config user "root" is root (uid 0)`}},
		{"root by uid with group", v1.Config{User: "0:65532"}, now, []string{`FX-IMG-003  | config user "0:65532" is root (uid 0)`}},
		{"uid 0 under another name", v1.Config{User: "toor"}, now, []string{`FX-IMG-003 /etc/passwd | config user "toor" has uid 0 in /etc/passwd`}},
		{"named non-root user", v1.Config{User: "app"}, now, nil},
		{"numeric non-root user", v1.Config{User: "65532"}, now, nil},
		{"admin ports", v1.Config{User: "65532", ExposedPorts: map[string]struct{}{"22/tcp": {}, "3389/udp": {}, "23": {}, "8080/tcp": {}, "2222/tcp": {}}}, now, []string{
			"FX-IMG-007  | image exposes 22/tcp (SSH)",
			"FX-IMG-007  | image exposes 23/tcp (telnet)",
			"FX-IMG-007  | image exposes 3389/udp (RDP)",
		}},
		{"30 days old", safeConfig(), now.Add(-30 * 24 * time.Hour), []string{
			"FX-IMG-008  | image was created 30 days ago (2026-10-24), more than the 14 days rebuild window",
		}},
		{"exactly at the limit", safeConfig(), now.Add(-14 * 24 * time.Hour), nil},
		{"epoch timestamp of a reproducible build", safeConfig(), time.Unix(0, 0), nil},
		{"zero timestamp", safeConfig(), time.Time{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := imagetest.Image(t, tt.cfg, tt.created, passwd)
			diff(t, check(t, img), tt.want)
		})
	}
}

func TestMaxAgeOption(t *testing.T) {
	img := imagetest.Image(t, safeConfig(), now.Add(-3*24*time.Hour), layertest.Layer(t, layertest.File("a", "b")))
	for _, tt := range []struct {
		max  time.Duration
		want int
	}{{0, 0}, {48 * time.Hour, 1}, {-1, 0}} {
		fs, err := Check(context.Background(), img, Options{MaxAge: tt.max, Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != tt.want {
			t.Errorf("MaxAge %s: %d findings, want %d: %v", tt.max, len(fs), tt.want, fs)
		}
	}
}

func TestRootFS(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "shared"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "key.pem"), []byte(pemRSA+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	img, err := image.FromRootFS(context.Background(), root)
	if err != nil {
		t.Fatal(err)
	}
	img.Ref = "rootfs"
	// No configuration: no user, port or age findings.
	diff(t, check(t, img), []string{
		"FX-IMG-005 /shared | /shared is world-writable without the sticky bit, mode 0777, added in layer 0",
		"FX-IMG-006 /key.pem | /key.pem holds private key on line 1 (" + pemRSA + "), in layer 0",
	})
}

// A secrets check that could not read a file must not look clean: what a
// user who may not read all of a root filesystem could not read is returned
// beside the findings on the rest, each path once.
func TestRootFSUnreadable(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{
		"app/.env":              "DB_PASSWORD=hunter2\n",
		"app/key.pem":           pemRSA + "\n",
		"root/.aws/credentials": "[default]\naws_access_key_id = " + fakeAKIA + "\n",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(root, "shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "shared"), 0o777); err != nil {
		t.Fatal(err)
	}
	var (
		shared = "FX-IMG-005 /shared | /shared is world-writable without the sticky bit, mode 0777, added in layer 0"
		env    = "FX-IMG-006 /app/.env | /app/.env (environment file) holds literal value assigned to DB_PASSWORD on line 1, in layer 0"
		key    = "FX-IMG-006 /app/key.pem | /app/key.pem holds private key on line 1 (" + pemRSA + "), in layer 0"
		aws    = "FX-IMG-006 /root/.aws/credentials | /root/.aws/credentials (AWS credentials file) holds AWS access key ID on line 2 (AKIA****************), in layer 0"
	)
	for _, tc := range []struct {
		name       string
		deny       []string
		findings   []string
		unreadable []string
	}{
		{"all readable", nil, []string{shared, env, key, aws}, nil},
		{"a file and a directory", []string{"/app/.env", "/root"}, []string{shared, key},
			[]string{"/app/.env dir=false: permission denied", "/root dir=true: permission denied"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := imagetest.Unreadable(t, root, tc.deny...)
			fs, err := Check(context.Background(), img, Options{Now: fixedNow})
			unread, err := image.Unreadable(err)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, line(f))
			}
			diff(t, got, tc.findings)
			got = nil
			for _, r := range unread {
				got = append(got, fmt.Sprintf("%s dir=%v: %v", r.Path, r.Dir, r.Err))
			}
			diff(t, got, tc.unreadable)
		})
	}
}

func TestCancel(t *testing.T) {
	img := imagetest.Image(t, safeConfig(), now, fileLayers(t)...)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Check(ctx, img, Options{Now: fixedNow}); err == nil {
		t.Error("Check on a cancelled context: no error")
	}
	if _, err := Check(context.Background(), nil, Options{}); err == nil {
		t.Error("Check(nil): no error")
	}
}

func TestRulesMetadata(t *testing.T) {
	rs := Rules()
	for i, r := range rs {
		if want := fmt.Sprintf("FX-IMG-%03d", i+1); r.ID != want {
			t.Errorf("rule %d: ID %s, want %s", i, r.ID, want)
		}
		if r.Severity == finding.Unknown || r.Title == "" || r.Description == "" || r.Remediation == "" || len(r.References) == 0 {
			t.Errorf("%s: incomplete metadata", r.ID)
		}
	}
	for _, id := range []string{SSHServer, PlaintextLogin, RootUser, Setuid, WorldWritable, BakedSecret, RemoteAdmin, StaleImage} {
		if rule(id).Title == "" {
			t.Errorf("%s has no metadata", id)
		}
	}
	rs[0].References[0] = "changed"
	if Rules()[0].References[0] == "changed" {
		t.Error("Rules shares its slices with the caller")
	}
}

// A damaged layer is an error, and the tee that watches it for whiteouts
// neither hangs nor hides the error.
func TestCorruptLayer(t *testing.T) {
	good := layertest.Layer(t, layertest.File("a", "b"))
	bad, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(strings.Repeat("x", 1000))), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	img := imagetest.Image(t, safeConfig(), now, good, bad)
	if _, err := Check(context.Background(), img, Options{Now: fixedNow}); err == nil {
		t.Error("corrupt layer: no error")
	}
}
