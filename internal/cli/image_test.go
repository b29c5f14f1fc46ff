package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/fixity-sec/fixity/pkg/image/imagetest"
	"github.com/fixity-sec/fixity/pkg/image/layertest"
	"github.com/fixity-sec/fixity/pkg/imagescan"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// The golden image of these tests: Debian 12 with an OpenSSL that an
// advisory fixes later, and an SSH server.
var goldenFiles = map[string]string{
	"etc/os-release": "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n",
	"var/lib/dpkg/status": `Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u1

Package: openssh-server
Status: install ok installed
Architecture: amd64
Version: 1:9.2p1-2+deb12u3
`,
	"usr/sbin/sshd": "#!/bin/sh\nexit 0\n",
}

func writeRootFS(t *testing.T) string {
	t.Helper()
	return imagetest.RootFS(t, goldenFiles)
}

// writeOCI builds the same files as a one-layer image, running as root and
// created long ago, in an OCI layout.
func writeOCI(t *testing.T) string {
	t.Helper()
	var es []layertest.Entry
	for _, name := range []string{"etc/os-release", "var/lib/dpkg/status", "usr/sbin/sshd"} {
		e := layertest.File(name, goldenFiles[name])
		if strings.Contains(name, "bin/") {
			e = layertest.WithMode(e, 0o755)
		}
		es = append(es, e)
	}
	cfg := v1.Config{User: "root", ExposedPorts: map[string]struct{}{"22/tcp": {}}}
	return imagetest.Layout(t, cfg, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), layertest.Layer(t, es...))
}

// pushOCI serves the image of an OCI layout from an in-process registry on
// 127.0.0.1 (which fixity, like docker, reaches over plain HTTP) and
// returns its reference.
func pushOCI(t *testing.T, dir string) string {
	t.Helper()
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	img, err := idx.Image(im.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	return imagetest.Serve(t, img, "golden/app:v1")
}

func importAdvisory(t *testing.T) string {
	t.Helper()
	recs := t.TempDir()
	if err := os.WriteFile(filepath.Join(recs, "DSA-0001-1.json"), []byte(osvRecord), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "vuln.db")
	if r := run(t, "db", "import", "--db", db, recs); r.code != ExitOK {
		t.Fatalf("import: %s", r.err)
	}
	return db
}

func TestImageScan(t *testing.T) {
	db := importAdvisory(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string // rule IDs that must be reported
	}{
		{"root filesystem", []string{"--rootfs", writeRootFS(t)}, []string{"DSA-0001-1", "FX-IMG-001"}},
		{"OCI layout", []string{"--oci", writeOCI(t)}, []string{"DSA-0001-1", "FX-IMG-001", "FX-IMG-003", "FX-IMG-007", "FX-IMG-008"}},
		{"registry", []string{pushOCI(t, writeOCI(t))}, []string{"DSA-0001-1", "FX-IMG-001", "FX-IMG-003", "FX-IMG-007", "FX-IMG-008"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"image", "--db", db, "-f", "json", "--fail-on", "CRITICAL",
				"--baseline-out", filepath.Join(out, "baseline.json"),
				"--sbom", "cyclonedx", "--sbom-output", filepath.Join(out, "sbom.json")}, tc.args...)
			r := run(t, args...)
			if r.code != ExitOK {
				t.Fatalf("exit %d: %s", r.code, r.err)
			}
			rep := decode(t, r.out)
			got := map[string]bool{}
			for _, f := range rep.Findings {
				got[f.RuleID] = true
				if f.RuleID == "DSA-0001-1" && !strings.Contains(f.Message, "fixed in 3.0.15-1~deb12u1") {
					t.Errorf("vulnerability message %q", f.Message)
				}
			}
			for _, id := range tc.want {
				if !got[id] {
					t.Errorf("missing %s in %v", id, got)
				}
			}
			var bl struct {
				Executables []struct{ Path string } `json:"executables"`
			}
			data, _ := os.ReadFile(filepath.Join(out, "baseline.json"))
			if err := json.Unmarshal(data, &bl); err != nil || len(bl.Executables) != 1 || bl.Executables[0].Path != "/usr/sbin/sshd" {
				t.Errorf("baseline %s (%v)", data, err)
			}
			sbom, _ := os.ReadFile(filepath.Join(out, "sbom.json"))
			if !strings.Contains(string(sbom), "pkg:deb/debian/libssl3@3.0.11-1~deb12u1") {
				t.Errorf("SBOM lacks the package: %s", sbom)
			}
		})
	}
}

func TestImageProgressOnATerminal(t *testing.T) {
	ref := pushOCI(t, writeOCI(t))
	r := runOnTerminal(t, "image", "--skip-vulns", "-f", "json", "--fail-on", "CRITICAL", ref)
	if r.code != ExitOK || !strings.Contains(r.err, "pulling "+ref) || !strings.Contains(r.err, "scanning the image") ||
		!strings.HasSuffix(r.err, "\r\033[K") {
		t.Fatalf("exit %d, progress %q", r.code, r.err)
	}
	decode(t, r.out)
	if r := runOnTerminal(t, "image", "--skip-vulns", "-q", "--fail-on", "CRITICAL", ref); r.code != ExitOK || r.err != "" {
		t.Fatalf("--quiet: exit %d, %q", r.code, r.err)
	}
}

// emptyDB is a database file with nothing imported, as an empty file or an
// interrupted first import leaves.
func emptyDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "vuln.db")
	if err := os.WriteFile(db, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestImageErrors(t *testing.T) {
	rootfs := writeRootFS(t)
	for _, tc := range []struct {
		name string
		args []string
		err  string
	}{
		{"no database", []string{"--rootfs", rootfs, "--db", filepath.Join(t.TempDir(), "none.db")}, "fixity db update"},
		{"empty database", []string{"--rootfs", rootfs, "--db", emptyDB(t)}, "holds no records"},
		{"no image", []string{"--skip-vulns"}, "name one image"},
		{"two images", []string{"--skip-vulns", "--rootfs", rootfs, "--oci", rootfs}, "name one image"},
		{"missing archive", []string{"--skip-vulns", "--input", "nope.tar"}, "nope.tar"},
		{"bad sbom format", []string{"--skip-vulns", "--rootfs", rootfs, "--sbom", "xml"}, `--sbom "xml"`},
		{"sbom output without format", []string{"--skip-vulns", "--rootfs", rootfs, "--sbom-output", "sbom.json"}, "--sbom-output needs --sbom"},
		{"bad age", []string{"--skip-vulns", "--rootfs", rootfs, "--max-age", "soon"}, "--max-age"},
		{"platform of a root filesystem", []string{"--skip-vulns", "--rootfs", rootfs, "--platform", "linux/arm64"}, "--platform"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, append([]string{"image"}, tc.args...)...)
			if r.code != ExitError || !strings.Contains(r.err, tc.err) {
				t.Fatalf("exit %d, stderr %q, want 2 and %q", r.code, r.err, tc.err)
			}
		})
	}
}

// A package database that cannot be read is an error in the report, and,
// as for every verb, exit 1: a CI gate must not pass an image whose packages
// were not checked.
func TestImageDamagedPackageDatabase(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{
		"etc/os-release":           "ID=\"rocky\"\nVERSION_ID=\"9.3\"\n",
		"var/lib/rpm/rpmdb.sqlite": "garbage, not SQLite",
	} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, "image", "--skip-vulns", "-f", "json", "--rootfs", root)
	if r.code != ExitFindings {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.out, r.err)
	}
	rep := decode(t, r.out)
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Message, "rpmdb.sqlite") {
		t.Errorf("errors %+v", rep.Errors)
	}
	for _, n := range rep.Notes {
		if strings.Contains(n.Message, "no package database") {
			t.Errorf("note %q contradicts the error", n.Message)
		}
	}
}

// writeUnreadableRootFS is the golden root filesystem with what a user
// other than root may not read on every real system: /root and
// /etc/shadow.
func writeUnreadableRootFS(t *testing.T) string {
	t.Helper()
	dir := writeRootFS(t)
	if err := os.MkdirAll(filepath.Join(dir, "root", ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "etc", "shadow"), []byte("root:*:19000:0:99999:7:::\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runImageReading runs `fixity image` with the image opened by open, and
// turns the outcome into an exit code as Execute does.
func runImageReading(t *testing.T, open openImage, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	stdio := IO{Out: &out, Err: &errOut, IsTerminal: func(io.Writer) bool { return false }}
	cmd := imageCommand(stdio, "test", open)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	code := ExitOK
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		code = ExitError
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		}
		fmt.Fprintf(&errOut, "fixity: %v\n", err)
	}
	return result{code, out.String(), errOut.String()}
}

// unreadableErrors are the report's errors about /root and /etc/shadow.
var unreadableErrors = []string{
	"/etc/shadow: could not be read (permission denied), so it was not checked",
	"/root: directory could not be read (permission denied), so nothing under it was checked",
}

// checkUnreadable expects a scan that went on past what it could not read:
// exit 1 though no finding reaches --fail-on, each unreadable path once in
// the errors, the findings on the rest.
func checkUnreadable(t *testing.T, r result, wantErrs []string) {
	t.Helper()
	wantCode := ExitOK
	if len(wantErrs) > 0 {
		wantCode = ExitFindings
	}
	if r.code != wantCode {
		t.Fatalf("exit %d, want %d\n%s\n%s", r.code, wantCode, r.out, r.err)
	}
	rep := decode(t, r.out)
	var errs []string
	for _, e := range rep.Errors {
		errs = append(errs, e.Error())
	}
	if strings.Join(errs, "\n") != strings.Join(wantErrs, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(wantErrs, "\n"))
	}
	var ids []string
	for _, f := range rep.Findings {
		ids = append(ids, f.RuleID)
	}
	if strings.Join(ids, " ") != "FX-IMG-001" || rep.Summary.Resources != 2 {
		t.Errorf("findings %v, %d packages: want FX-IMG-001 and 2", ids, rep.Summary.Resources)
	}
}

// A root filesystem the user may not read all of is scanned all the same,
// and the gate fails: what could not be read was not checked. The
// filesystem fails to read where the test says, whoever runs it.
func TestImageUnreadable(t *testing.T) {
	rootfs := writeUnreadableRootFS(t)
	for _, tc := range []struct {
		name string
		deny []string
		errs []string
	}{
		{"all readable", nil, nil},
		{"a directory and a file", []string{"/root", "/etc/shadow"}, unreadableErrors},
	} {
		t.Run(tc.name, func(t *testing.T) {
			open := func(_ context.Context, src imagescan.Source) (*image.Image, error) {
				return imagetest.Unreadable(t, src.RootFS, tc.deny...), nil
			}
			r := runImageReading(t, open, "--skip-vulns", "-f", "json", "--fail-on", "CRITICAL",
				"--baseline-out", filepath.Join(t.TempDir(), "baseline.json"), "--rootfs", rootfs)
			checkUnreadable(t, r, tc.errs)
		})
	}
}

// The same through real file modes, which stop only a user other than
// root.
func TestImageUnreadableChmod(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their mode")
	}
	rootfs := writeUnreadableRootFS(t)
	for _, p := range []string{"root", "etc/shadow"} {
		full := filepath.Join(rootfs, p)
		if err := os.Chmod(full, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(full, 0o755) }) // so that the directory can be removed
	}
	r := run(t, "image", "--skip-vulns", "-f", "json", "--fail-on", "CRITICAL", "--rootfs", rootfs)
	checkUnreadable(t, r, unreadableErrors)
}

// The stale-data warning is about the image's ecosystem, from the
// database's per-ecosystem import times.
func TestImageStaleDataNote(t *testing.T) {
	db := importAdvisory(t)
	r := run(t, "image", "--db", db, "-f", "json", "--fail-on", "CRITICAL", "--max-db-age", "1ns", "--rootfs", writeRootFS(t))
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	var found bool
	for _, n := range decode(t, r.out).Notes {
		found = found || strings.HasPrefix(n.Message, "the vulnerability data for Debian:12 is ")
	}
	if !found {
		t.Errorf("no stale-data note for Debian:12:\n%s", r.out)
	}
}

// --baseline-out - puts the baseline alone on standard output, as
// --sbom-output - does the SBOM; both there at once is refused.
func TestImageBaselineToStdout(t *testing.T) {
	rootfs := writeRootFS(t)
	r := run(t, "image", "--skip-vulns", "--fail-on", "CRITICAL", "--rootfs", rootfs, "--baseline-out", "-")
	var bl struct {
		Executables []struct{ Path string } `json:"executables"`
	}
	if r.code != ExitOK || json.Unmarshal([]byte(r.out), &bl) != nil || len(bl.Executables) != 1 {
		t.Fatalf("exit %d, stdout is not the baseline alone:\n%s", r.code, r.out)
	}
	if _, err := os.Stat("-"); err == nil {
		os.Remove("-")
		t.Error("a file named - was written")
	}
	r = run(t, "image", "--skip-vulns", "--rootfs", rootfs, "--baseline-out", "-", "--sbom", "spdx")
	if r.code != ExitError || !strings.Contains(r.err, "--baseline-out -") {
		t.Fatalf("SBOM and baseline both on stdout: exit %d, %q", r.code, r.err)
	}
}

// --max-age 0 turns the image age check off; the default (14 days) keeps
// it: the test image was built in 2020.
func TestImageMaxAgeZero(t *testing.T) {
	oci := writeOCI(t)
	has := func(args ...string) bool {
		t.Helper()
		r := run(t, append([]string{"image", "--skip-vulns", "-f", "json", "--fail-on", "CRITICAL", "--oci", oci}, args...)...)
		if r.code != ExitOK {
			t.Fatalf("exit %d: %s", r.code, r.err)
		}
		for _, f := range decode(t, r.out).Findings {
			if f.RuleID == "FX-IMG-008" {
				return true
			}
		}
		return false
	}
	if !has() {
		t.Error("an image from 2020 is older than the default 14 days")
	}
	if has("--max-age", "0") || has("--max-age", "0d") {
		t.Error("--max-age 0 should turn the check off")
	}
}
