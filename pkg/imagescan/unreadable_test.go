package imagescan

import (
	"context"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/image/imagetest"
)

// A root filesystem scanned by a user who may not read all of it: the scan
// goes on, each path it could not read is one error however many passes
// met it (/root all three, the tool the hardening checks and the baseline,
// a status.d file the catalog and the hardening checks), and everything
// else is found as usual.
func TestRunUnreadable(t *testing.T) {
	root := imagetest.RootFS(t, map[string]string{
		"etc/os-release":              "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n",
		"etc/shadow":                  "root:*:19000:0:99999:7:::\n",
		"root/.aws/credentials":       "[default]\n",
		"usr/sbin/sshd":               "\x7fELF sshd",
		"usr/local/bin/tool":          "\x7fELF tool",
		"var/lib/dpkg/status":         "Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.11-1~deb12u1\n\nPackage: openssh-server\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:9.2p1-2+deb12u3\n",
		"var/lib/dpkg/status.d/extra": "Package: tzdata\nArchitecture: all\nVersion: 2024a-1\n",
	})
	img := imagetest.Unreadable(t, root, "/root", "/etc/shadow", "/usr/local/bin/tool", "/var/lib/dpkg/status.d/extra")
	src := records(t, `{"id":"DSA-0001-1","modified":"2026-11-01T00:00:00Z","affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.15-1~deb12u1"}]}]}]}`)
	res, err := Run(context.Background(), img, Options{Vulns: src, Ecosystems: map[string]int{"Debian:12": 1}, Baseline: true})
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report

	var errs []string
	for _, e := range rep.Errors {
		errs = append(errs, e.Error())
	}
	want := []string{
		"/etc/shadow: could not be read (permission denied), so it was not checked",
		"/root: directory could not be read (permission denied), so nothing under it was checked",
		"/usr/local/bin/tool: could not be read (permission denied), so it was not checked",
		"/var/lib/dpkg/status.d/extra: could not be read (permission denied), so it was not checked",
	}
	if strings.Join(errs, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(want, "\n"))
	}

	found := map[string]bool{}
	for _, f := range rep.Findings {
		found[f.RuleID+" "+f.File] = true
	}
	for _, id := range []string{"DSA-0001-1 /var/lib/dpkg/status", "FX-IMG-001 /usr/sbin/sshd"} {
		if !found[id] {
			t.Errorf("missing finding %s in %v", id, found)
		}
	}
	var pkgs []string
	for _, p := range res.SBOM.Packages {
		pkgs = append(pkgs, p.Name)
	}
	if got := strings.Join(pkgs, " "); got != "libssl3 openssh-server" {
		t.Errorf("packages %s", got)
	}
	var exes []string
	for _, e := range res.Baseline.Executables {
		exes = append(exes, e.Path)
	}
	if got := strings.Join(exes, " "); got != "/usr/sbin/sshd" {
		t.Errorf("baseline executables %s", got)
	}
	for _, n := range rep.Notes {
		if strings.Contains(n.Message, "no package database") {
			t.Errorf("note %q", n.Message)
		}
	}
}
