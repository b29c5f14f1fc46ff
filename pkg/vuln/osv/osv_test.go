package osv

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fixity-sec/fixity/pkg/vuln/version"
)

func load(t *testing.T, name string) *Record {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rec
}

func TestParse(t *testing.T) {
	rec := load(t, "DSA-5532-1.json")
	if rec.GetId() != "DSA-5532-1" || len(rec.GetAliases()) != 2 || rec.GetModified().AsTime().Year() != 2024 {
		t.Fatalf("unexpected record: %v", rec)
	}
	// Unknown top-level fields are ignored, not fatal.
	multi := load(t, "GHSA-multi.json")
	if got := multi.GetDatabaseSpecific().GetFields()["severity"].GetStringValue(); got != "CRITICAL" {
		t.Fatalf("database_specific.severity = %q", got)
	}
	for _, bad := range []string{``, `{`, `[]`, `{"id": 5}`, `{"summary": "no id"}`, `{"id":"X","modified":"yesterday"}`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q): want error", bad)
		}
	}
}

func TestAffected(t *testing.T) {
	cases := []struct {
		file, eco, pkg, ver string
		want                bool
		fixed               string
	}{
		// Debian: release-qualified ecosystem, explicit versions, ~ ordering.
		{"DSA-5532-1.json", "Debian:12", "openssl", "3.0.11-1~deb12u1", true, "3.0.11-1~deb12u2"},
		{"DSA-5532-1.json", "Debian:12", "openssl", "3.0.11-1~deb12u2", false, ""},
		{"DSA-5532-1.json", "Debian:12", "openssl", "3.0.13-1~deb12u1", false, ""},
		{"DSA-5532-1.json", "Debian:12", "openssl", "1:0.1", false, ""},
		{"DSA-5532-1.json", "Debian:11", "openssl", "1.1.1n-0+deb11u5", true, "1.1.1w-0+deb11u1"},
		{"DSA-5532-1.json", "Debian:11", "openssl", "1.1.1w-0+deb11u1", false, ""},
		{"DSA-5532-1.json", "Debian:10", "openssl", "1.1.1n-0+deb10u1", false, ""},
		// A bare "Debian" matches every release; the first matching entry
		// (Debian:12 here) decides, so callers should pass the release.
		{"DSA-5532-1.json", "Debian", "openssl", "1.1.1n-0+deb11u5", true, "3.0.11-1~deb12u2"},
		{"DSA-5532-1.json", "Debian:12", "libssl3", "3.0.9-1", false, ""},
		// Unsorted events, introduced "0", two windows.
		{"GHSA-multi.json", "Go", "example.com/mod", "0.0.1", true, "1.2.0"},
		{"GHSA-multi.json", "Go", "example.com/mod", "v1.1.9", true, "1.2.0"},
		{"GHSA-multi.json", "Go", "example.com/mod", "1.2.0", false, ""},
		{"GHSA-multi.json", "Go", "example.com/mod", "1.9.9", false, ""},
		{"GHSA-multi.json", "Go", "example.com/mod", "2.0.0-rc.1", false, ""},
		{"GHSA-multi.json", "Go", "example.com/mod", "2.0.0", true, "2.3.1"},
		{"GHSA-multi.json", "Go", "example.com/mod", "2.3.1-pre", true, "2.3.1"},
		{"GHSA-multi.json", "Go", "example.com/mod", "2.3.1", false, ""},
		{"GHSA-multi.json", "Go", "example.com/mod", "v0.0.0-20200101000000-abcdefabcdef", true, "1.2.0"},
		// last_affected is inclusive.
		{"GHSA-multi.json", "Go", "example.com/last", "0.9.0", false, ""},
		{"GHSA-multi.json", "Go", "example.com/last", "1.4.0", true, ""},
		{"GHSA-multi.json", "Go", "example.com/last", "1.4.1", false, ""},
		// limit bounds the range.
		{"GHSA-multi.json", "Go", "example.com/limited", "1.4.9", true, ""},
		{"GHSA-multi.json", "Go", "example.com/limited", "1.5.0", false, ""},
		// limit "*" is infinity.
		{"GHSA-multi.json", "Go", "example.com/unlimited", "7.0.0", true, ""},
		{"GHSA-multi.json", "Go", "example.com/unlimited", "0.9.0", false, ""},
		// Alpine and RPM orderings through ECOSYSTEM ranges.
		{"GHSA-multi.json", "Alpine:v3.19", "busybox", "1.36.1-r5", true, "1.36.1-r15"},
		{"GHSA-multi.json", "Alpine:v3.19", "busybox", "1.36.1-r15", false, ""},
		{"GHSA-multi.json", "Alpine:v3.19", "busybox", "1.36.1-r29", false, ""},
		{"GHSA-multi.json", "Red Hat:enterprise_linux:9::baseos", "glibc", "2.34-100.el9_4.2", true, "0:2.34-100.el9_4.3"},
		{"GHSA-multi.json", "Red Hat:enterprise_linux:9::baseos", "glibc", "2.34-100.el9_4.3", false, ""},
		// SUSE: the image's family matches the products and modules, in rpm order.
		{"SUSE-SU-2024-0001-1.json", "SUSE", "libgcrypt20", "1.8.2-8.39.1", true, "1.8.2-8.42.1"},
		{"SUSE-SU-2024-0001-1.json", "SUSE", "libgcrypt20", "1.8.2-8.42.1", false, ""},
		{"SUSE-SU-2024-0001-1.json", "openSUSE", "libgcrypt20", "1.8.2-8.39.1", true, "1.8.2-8.42.1"},
		{"SUSE-SU-2024-0001-1.json", "openSUSE", "libgcrypt20", "1.8.2-8.42.1.1", false, ""},
		// GIT ranges are about commits: never matched by version.
		{"GHSA-multi.json", "Go", "example.com/git", "1.0.0", false, ""},
		// A range with an unreadable version is refused, not guessed.
		{"GHSA-multi.json", "Go", "example.com/bad", "1.0.0", false, ""},
		// Unreadable installed version.
		{"GHSA-multi.json", "Go", "example.com/mod", "garbage", false, ""},
		// Withdrawn records never match.
		{"withdrawn.json", "Go", "example.com/mod", "1.0.0", false, ""},
	}
	for _, tc := range cases {
		rec := load(t, tc.file)
		got, fixed := Affected(rec, version.Ecosystem(tc.eco), tc.pkg, tc.ver)
		if got != tc.want || fixed != tc.fixed {
			t.Errorf("%s: Affected(%s, %s, %s) = %v, %q; want %v, %q", tc.file, tc.eco, tc.pkg, tc.ver, got, fixed, tc.want, tc.fixed)
		}
	}
}

func TestCheckReportsErrors(t *testing.T) {
	rec := load(t, "GHSA-multi.json")
	if _, _, err := Check(rec, version.Go, "example.com/bad", "1.0.0"); err == nil {
		t.Error("want error for malformed fixed version")
	}
	if _, _, err := Check(rec, version.Go, "example.com/mod", "garbage"); err == nil {
		t.Error("want error for malformed installed version")
	}
	if _, _, err := Check(rec, version.Go, "example.com/mod", "1.0.0"); err != nil {
		t.Errorf("unexpected error: %v", err)
	}
}
