package catalog

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

var debian12 = OSInfo{ID: "debian", VersionID: "12", VersionCodename: "bookworm"}

func deb(name, version, arch, srcName, srcVersion, purl, file string) Package {
	return Package{
		Name: name, Version: version, Type: TypeDeb, Ecosystem: "Debian:12", Arch: arch,
		SourceName: srcName, SourceVersion: srcVersion, PURL: purl, Locations: []Location{{Path: file}},
	}
}

func TestParseDpkgStatus(t *testing.T) {
	const status = "/var/lib/dpkg/status"
	tests := []struct {
		file string
		name string
		want []Package
	}{
		{"status", status, []Package{
			deb("base-files", "12.4+deb12u5", "amd64", "base-files", "12.4+deb12u5",
				"pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12", status),
			deb("libssl3", "3.0.11-1~deb12u2", "amd64", "openssl", "3.0.11-1~deb12u2",
				"pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl", status),
			deb("libgcc-s1", "12.2.0-14", "amd64", "gcc-12", "12.2.0-14",
				"pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64&distro=debian-12&upstream=gcc-12", status),
			deb("libsystemd0", "252.22-1~deb12u1+b1", "amd64", "systemd", "252.22-1~deb12u1",
				"pkg:deb/debian/libsystemd0@252.22-1~deb12u1%2Bb1?arch=amd64&distro=debian-12&upstream=systemd%40252.22-1~deb12u1", status),
		}},
		{"status.d/tzdata", "/var/lib/dpkg/status.d/tzdata", []Package{
			deb("tzdata", "2024a-0+deb12u1", "all", "tzdata", "2024a-0+deb12u1",
				"pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12", "/var/lib/dpkg/status.d/tzdata"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "dpkg", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseDpkgStatus(tt.name, b, debian12)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", dump(got), dump(tt.want))
			}
		})
	}
}

func TestParseDpkgStatusErrors(t *testing.T) {
	in := "Package: a\nVersion: 1\nnot a field\n\n continuation first\nPackage: b\nVersion: 2\n"
	got, err := ParseDpkgStatus("status", []byte(in), OSInfo{})
	if len(got) != 2 || got[0].Name != "a" || got[1].Name != "b" {
		t.Errorf("packages = %s", dump(got))
	}
	if got[0].PURL != "pkg:deb/debian/a@1" {
		t.Errorf("purl without OS = %q", got[0].PURL)
	}
	for _, want := range []string{`status:3: not a field: "not a field"`, "status:5: continuation line outside a field"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to mention %q", err, want)
		}
	}
}

func dump(ps []Package) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(strings.ReplaceAll(strings.TrimSpace(fmtPkg(p)), "\n", " "))
		b.WriteByte('\n')
	}
	return b.String()
}

func fmtPkg(p Package) string {
	s := p.Type + " " + p.Name + " " + p.Version + " arch=" + p.Arch + " src=" + p.SourceName + "@" + p.SourceVersion +
		" eco=" + p.Ecosystem + " lic=" + p.License + " by=" + p.FoundBy + " " + p.PURL
	for _, l := range p.Locations {
		s += " " + l.Path + "#" + strconv.Itoa(l.Layer) + l.LayerDiffID
	}
	return s
}
