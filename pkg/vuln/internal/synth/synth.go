// Package synth writes synthetic OSV records for benchmarks: realistic in
// shape (real schema, several ecosystems, ranges with fixes, aliases and
// CVSS vectors), cheap to produce in any number.
package synth

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
)

// Ecosystems the records spread over, with a version spelling valid in each.
var ecosystems = []struct {
	name    string
	version func(minor int) string
}{
	{"Debian:12", func(m int) string { return fmt.Sprintf("1.%d.0-1", m) }},
	{"Alpine:v3.20", func(m int) string { return fmt.Sprintf("1.%d.0-r1", m) }},
	{"Go", func(m int) string { return fmt.Sprintf("1.%d.0", m) }},
	{"Red Hat:enterprise_linux:9::baseos", func(m int) string { return fmt.Sprintf("1.%d.0-1.el9", m) }},
}

// Packages is how many distinct package names per ecosystem the records use.
const Packages = 5000

// Package returns the i-th synthetic package name.
func Package(i int) string { return fmt.Sprintf("pkg%05d", i%Packages) }

// Ecosystem returns the ecosystem of record i and an installed version that
// sits below most of the fixes generated for it.
func Ecosystem(i int) (eco, installed string) {
	e := ecosystems[i%len(ecosystems)]
	return e.name, e.version(3)
}

// Record returns synthetic record i as OSV JSON.
func Record(i int) []byte {
	e := ecosystems[i%len(ecosystems)]
	pkg := Package(i / len(ecosystems))
	rec := map[string]any{
		"schema_version": "1.6.0",
		"id":             fmt.Sprintf("SYN-%07d", i),
		"aliases":        []string{fmt.Sprintf("CVE-2024-%05d", i)},
		"modified":       "2024-06-01T00:00:00Z",
		"published":      "2024-05-01T00:00:00Z",
		"summary":        fmt.Sprintf("synthetic vulnerability %d in %s", i, pkg),
		"details":        "A synthetic record with the size and shape of a real advisory, generated for benchmarks.",
		"severity":       []map[string]string{{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}},
		"affected": []map[string]any{{
			"package": map[string]string{"ecosystem": e.name, "name": pkg},
			"ranges": []map[string]any{{
				"type":   "ECOSYSTEM",
				"events": []map[string]string{{"introduced": "0"}, {"fixed": e.version(i % 10)}},
			}},
		}},
		"references": []map[string]string{{"type": "ADVISORY", "url": fmt.Sprintf("https://example.org/advisory/%d", i)}},
	}
	data, err := json.Marshal(rec)
	if err != nil {
		panic(err) // static shape: cannot fail
	}
	return data
}

// WriteZip writes n records to path in the layout of an osv.dev export zip.
func WriteZip(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for i := 0; i < n; i++ {
		w, err := zw.Create(fmt.Sprintf("SYN-%07d.json", i))
		if err != nil {
			f.Close()
			return err
		}
		if _, err := w.Write(Record(i)); err != nil {
			f.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
