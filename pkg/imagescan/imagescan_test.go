package imagescan

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/image/imagetest"
	"github.com/fixity-sec/fixity/pkg/image/layertest"
	"github.com/fixity-sec/fixity/pkg/vuln/osv"
	"github.com/fixity-sec/fixity/pkg/vuln/store"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// recordSource is a vuln.Source over OSV records given as JSON, looked up
// the way the store looks them up: by package name and exact ecosystem.
type recordSource []*osv.Record

func records(t *testing.T, docs ...string) recordSource {
	t.Helper()
	var out recordSource
	for _, d := range docs {
		r, err := osv.Parse([]byte(d))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func (s recordSource) Query(_ context.Context, eco, pkg string) ([]store.Record, error) {
	var out []store.Record
	for _, r := range s {
		for _, a := range r.GetAffected() {
			if a.GetPackage().GetEcosystem() == eco && a.GetPackage().GetName() == pkg {
				out = append(out, store.Record{ID: r.GetId(), OSV: r})
				break
			}
		}
	}
	return out, nil
}

// vulnLines renders the vulnerability findings of a report, one a line.
func vulnLines(rep *finding.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		if !strings.HasPrefix(f.RuleID, "FX-") {
			out = append(out, f.RuleID+" "+f.Resource+": "+f.Message)
		}
	}
	return out
}

// Alpine publishes its advisories per origin (aports source) package, as
// Debian does per source package: libcrypto3 is built from openssl, and an
// openssl advisory is about it.
func TestAlpineMatchesOrigin(t *testing.T) {
	installed := "C:Q1abc=\nP:libcrypto3\nV:3.1.4-r0\nA:x86_64\no:openssl\n\n" +
		"C:Q1def=\nP:busybox\nV:1.36.1-r5\nA:x86_64\no:busybox\n\n"
	img := imagetest.Image(t, v1.Config{User: "65534"}, time.Now(), layertest.Layer(t,
		layertest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
		layertest.File("lib/apk/db/installed", installed),
	))
	src := records(t,
		`{"id":"ALPINE-CVE-2099-0005","modified":"2026-11-01T00:00:00Z","affected":[{"package":{"ecosystem":"Alpine:v3.19","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.1.5-r0"}]}]}]}`,
		`{"id":"ALPINE-CVE-2099-0006","modified":"2026-11-01T00:00:00Z","affected":[{"package":{"ecosystem":"Alpine:v3.19","name":"busybox"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.36.1-r15"}]}]}]}`,
	)
	res, err := Run(context.Background(), img, Options{Vulns: src})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(vulnLines(res.Report), "\n")
	for _, want := range []string{
		"ALPINE-CVE-2099-0005 pkg:apk/alpine/libcrypto3@3.1.4-r0?arch=x86_64&distro=alpine-3.19.1&upstream=openssl: libcrypto3 3.1.4-r0 is affected by ALPINE-CVE-2099-0005; fixed in 3.1.5-r0",
		"ALPINE-CVE-2099-0006 pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64&distro=alpine-3.19.1: busybox 1.36.1-r5 is affected by ALPINE-CVE-2099-0006; fixed in 1.36.1-r15",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q; got:\n%s", want, got)
		}
	}
}

// A database without records for the image's distribution release finds
// nothing in it; that must be said rather than look like a clean image.
func TestNoDataForEcosystem(t *testing.T) {
	img := imagetest.Image(t, v1.Config{User: "65534"}, time.Now(), layertest.Layer(t,
		layertest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
		layertest.File("lib/apk/db/installed", "C:Q1def=\nP:busybox\nV:1.36.1-r5\nA:x86_64\no:busybox\n\n"),
	))
	for _, tc := range []struct {
		name       string
		ecosystems map[string]int
		want       string
	}{
		{"other distribution", map[string]int{"Debian:12": 10, "Go": 3}, "no records for Alpine:v3.19"},
		{"other release", map[string]int{"Alpine:v3.20": 10}, "no records for Alpine:v3.19"},
		{"covered", map[string]int{"Alpine:v3.19": 10}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Run(context.Background(), img, Options{Vulns: recordSource{}, Ecosystems: tc.ecosystems})
			if err != nil {
				t.Fatal(err)
			}
			var notes []string
			for _, n := range res.Report.Notes {
				if strings.Contains(n.Message, "no records for") {
					notes = append(notes, n.Message)
				}
			}
			switch {
			case tc.want == "" && len(notes) > 0:
				t.Errorf("unexpected notes %q", notes)
			case tc.want != "" && (len(notes) != 1 || !strings.Contains(notes[0], tc.want) ||
				!strings.Contains(notes[0], "fixity db update --ecosystem Alpine")):
				t.Errorf("notes %q, want one with %q", notes, tc.want)
			}
		})
	}
}

// An image that says it is Debian but has no package database (deleted
// to slim it) lists and checks no package: the report must say so.
func TestOSWithoutPackageDatabase(t *testing.T) {
	img := imagetest.Image(t, v1.Config{User: "65534"}, time.Now(), layertest.Layer(t,
		layertest.File("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n"),
	))
	res, err := Run(context.Background(), img, Options{Vulns: recordSource{}, Ecosystems: map[string]int{"Debian:12": 1}})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, n := range res.Report.Notes {
		found = found || strings.Contains(n.Message, "Debian GNU/Linux 12 (bookworm) but no package database")
	}
	if !found {
		t.Errorf("notes %+v", res.Report.Notes)
	}
}

func TestStaleDataNote(t *testing.T) {
	img := imagetest.Image(t, v1.Config{User: "65534"}, time.Now(), layertest.Layer(t,
		layertest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
	))
	res, err := Run(context.Background(), img, Options{Vulns: recordSource{},
		VulnDataAge: 30*24*time.Hour + 3*time.Hour, MaxVulnDataAge: 7 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	want := "the vulnerability data is 30 days old (more than 7 days): run `fixity db update`"
	for _, n := range res.Report.Notes {
		if n.Message == want {
			return
		}
	}
	t.Errorf("notes %+v, want %q", res.Report.Notes, want)
}

// A fresh update of Go data does not make month-old Alpine data current:
// with ages per ecosystem, the warning names the image's stale ecosystem.
func TestStaleDataPerEcosystem(t *testing.T) {
	img := imagetest.Image(t, v1.Config{User: "65534"}, time.Now(), layertest.Layer(t,
		layertest.File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
		layertest.File("lib/apk/db/installed", "C:Q1def=\nP:busybox\nV:1.36.1-r5\nA:x86_64\no:busybox\n\n"),
	))
	week := 7 * 24 * time.Hour
	run := func(ages map[string]time.Duration) []string {
		t.Helper()
		res, err := Run(context.Background(), img, Options{Vulns: recordSource{},
			VulnDataAge: time.Hour, MaxVulnDataAge: week, VulnDataAges: ages})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range res.Report.Notes {
			if strings.Contains(n.Message, " old ") {
				out = append(out, n.Message)
			}
		}
		return out
	}
	got := run(map[string]time.Duration{"Alpine:v3.19": 30 * 24 * time.Hour, "Go": time.Hour})
	want := "the vulnerability data for Alpine:v3.19 is 30 days old (more than 7 days): run `fixity db update --ecosystem Alpine`"
	if len(got) != 1 || got[0] != want {
		t.Errorf("stale Alpine data: notes %q, want %q", got, want)
	}
	if got := run(map[string]time.Duration{"Alpine:v3.19": time.Hour, "Go": 90 * 24 * time.Hour}); len(got) != 0 {
		t.Errorf("the image has no Go packages, stale Go data is not its concern: %q", got)
	}
}

// An unreadable /root cannot hide a package database, so the note that
// none was found stays; an unreadable /var/lib could, so it goes.
func TestNoPackageDatabaseNoteWithUnreadablePaths(t *testing.T) {
	root := imagetest.RootFS(t, map[string]string{
		"etc/os-release":        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n",
		"root/.profile":         "PATH=/usr/bin\n",
		"var/lib/misc/keep.txt": "x",
	})
	note := func(deny string) bool {
		t.Helper()
		res, err := Run(context.Background(), imagetest.Unreadable(t, root, deny), Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range res.Report.Notes {
			if strings.Contains(n.Message, "but no package database") {
				return true
			}
		}
		return false
	}
	if !note("/root") {
		t.Error("an unreadable /root hid the missing-database note")
	}
	if note("/var/lib") {
		t.Error("an unreadable /var/lib may hold the database: the note must not claim there is none")
	}
}
