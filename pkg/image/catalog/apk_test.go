package catalog

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var alpine320 = OSInfo{ID: "alpine", VersionID: "3.20.3"}

func apk(name, version, origin, license, purl string) Package {
	return Package{
		Name: name, Version: version, Type: TypeApk, Ecosystem: "Alpine:v3.20", Arch: "x86_64",
		SourceName: origin, SourceVersion: version, License: license, PURL: purl,
		Locations: []Location{{Path: apkInstalled}},
	}
}

func TestParseApkInstalled(t *testing.T) {
	tests := []struct {
		file string
		want []Package
	}{
		{"installed", []Package{
			apk("musl", "1.2.5-r0", "musl", "MIT", "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3"),
			apk("libcrypto3", "3.3.1-r0", "openssl", "Apache-2.0", "pkg:apk/alpine/libcrypto3@3.3.1-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl"),
			apk("busybox", "1.36.1-r29", "busybox", "GPL-2.0-only", "pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "apk", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseApkInstalled(apkInstalled, b, alpine320)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", dump(got), dump(tt.want))
			}
		})
	}
}

func TestParseApkInstalledErrors(t *testing.T) {
	in := "P:a\nV:1\n\nP:b\nbad\n\nV:3\r\nA:x86_64\r\n\r\nP:c\nV:2"
	got, err := ParseApkInstalled("installed", []byte(in), OSInfo{})
	if len(got) != 2 || got[0].Name != "a" || got[1].Name != "c" || got[1].Version != "2" {
		t.Errorf("packages = %s", dump(got))
	}
	for _, want := range []string{`installed:5: not a field: "bad"`, "installed:4: record without P: or V:", "installed:7: record without P: or V:"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to mention %q", err, want)
		}
	}
}
