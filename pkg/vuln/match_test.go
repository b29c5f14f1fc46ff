package vuln

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/vuln/internal/synth"
	"github.com/fixity-sec/fixity/pkg/vuln/store"
)

func openStore(tb testing.TB, src string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(tb.TempDir(), "vuln.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	st, err := s.Import(ctx, src)
	if err != nil {
		tb.Fatal(err)
	}
	if len(st.Skipped) > 0 {
		tb.Fatalf("skipped: %+v", st.Skipped)
	}
	return s
}

func TestMatch(t *testing.T) {
	s := openStore(t, filepath.Join("testdata", "records"))
	pkgs := []Package{
		{Ecosystem: "Debian:12", Name: "libssl3", Version: "3.0.9-1", SourceName: "openssl"},
		{Ecosystem: "Debian:12", Name: "openssl", Version: "3.0.11-1~deb12u2"}, // fixed
		{Ecosystem: "Debian:12", Name: "curl", Version: "7.88.1-10+deb12u4"},
		{Ecosystem: "Go", Name: "golang.org/x/net", Version: "v0.22.0"},
		{Ecosystem: "Go", Name: "golang.org/x/text", Version: "v0.14.0"}, // nothing known
		{Ecosystem: "Alpine:v3.19", Name: "busybox", Version: "1.36.1-r5"},
		{Ecosystem: "Alpine:v3.20", Name: "busybox", Version: "1.36.1-r5"}, // other release
		{Ecosystem: "Debian:12", Name: "curl2", Version: "not a version!"},
	}
	got, err := Match(context.Background(), s, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"busybox Alpine:v3.19 ALPINE-CVE-2023-42363 installed=1.36.1-r5 fixed=1.36.1-r15 CRITICAL [CVE-2023-42363]",
		"curl Debian:12 DEBIAN-CVE-2024-0001 installed=7.88.1-10+deb12u4 fixed= UNKNOWN [CVE-2024-0001]",
		"curl Debian:12 DEBIAN-CVE-2024-0003 installed=7.88.1-10+deb12u4 fixed=7.88.1-10+deb12u5 LOW []",
		"golang.org/x/net Go GHSA-aaaa-bbbb-cccc installed=v0.22.0 fixed=0.23.0 MEDIUM [CVE-2024-1111 GO-2024-0001]",
		"libssl3 Debian:12 DSA-5532-1 installed=3.0.9-1 fixed=3.0.11-1~deb12u2 CRITICAL [CVE-2023-5363]",
	}
	if len(got) != len(want) {
		t.Errorf("got %d vulnerabilities, want %d", len(got), len(want))
	}
	for i, v := range got {
		line := fmt.Sprintf("%s %s %s installed=%s fixed=%s %s %v", v.Package.Name, v.Package.Ecosystem, v.ID, v.Installed, v.Fixed, v.Severity, v.Aliases)
		if i >= len(want) || line != want[i] {
			t.Errorf("got[%d] = %q", i, line)
			continue
		}
		if v.Summary == "" {
			t.Errorf("%s: empty summary", v.ID)
		}
	}
}

func TestMatchCancelled(t *testing.T) {
	s := openStore(t, filepath.Join("testdata", "records"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Match(ctx, s, []Package{{Ecosystem: "Go", Name: "x", Version: "1.0.0"}}); err == nil {
		t.Fatal("want context error")
	}
}

func TestBand(t *testing.T) {
	for _, tc := range []struct {
		score float64
		want  finding.Severity
	}{
		{0, finding.Unknown}, {0.1, finding.Low}, {3.9, finding.Low}, {4.0, finding.Medium}, {6.9, finding.Medium},
		{7.0, finding.High}, {8.9, finding.High}, {9.0, finding.Critical}, {10, finding.Critical},
	} {
		if got := band(tc.score); got != tc.want {
			t.Errorf("band(%v) = %v, want %v", tc.score, got, tc.want)
		}
	}
	for _, tc := range []struct {
		vec  string
		want float64
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3},
		{"5.3", 5.3},
	} {
		if got, ok := cvssScore(tc.vec); !ok || got != tc.want {
			t.Errorf("cvssScore(%s) = %v, %v; want %v", tc.vec, got, ok, tc.want)
		}
	}
	if _, ok := cvssScore("CVSS:3.1/garbage"); ok {
		t.Error("garbage vector accepted")
	}
}

// BenchmarkMatch matches 100 installed packages against a store of 100,000
// synthetic records.
func BenchmarkMatch(b *testing.B) {
	const records = 100_000
	src := filepath.Join(b.TempDir(), "all.zip")
	if err := synth.WriteZip(src, records); err != nil {
		b.Fatal(err)
	}
	s := openStore(b, src)
	var pkgs []Package
	for i := 0; i < 100; i++ {
		eco, installed := synth.Ecosystem(i)
		pkgs = append(pkgs, Package{Ecosystem: eco, Name: synth.Package(i * 37 / 4), Version: installed})
	}
	ctx := context.Background()
	b.ResetTimer()
	var found int
	for i := 0; i < b.N; i++ {
		vulns, err := Match(ctx, s, pkgs)
		if err != nil {
			b.Fatal(err)
		}
		found = len(vulns)
	}
	b.ReportMetric(float64(found), "vulns/op")
}
