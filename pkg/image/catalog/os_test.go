package catalog

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseOSRelease(t *testing.T) {
	tests := []struct {
		file      string
		want      OSInfo
		ecosystem string
		distro    string
	}{
		{"debian", OSInfo{ID: "debian", VersionID: "12", VersionCodename: "bookworm", PrettyName: "Debian GNU/Linux 12 (bookworm)"}, "Debian:12", "debian-12"},
		{"alpine", OSInfo{ID: "alpine", VersionID: "3.20.3", PrettyName: "Alpine Linux v3.20"}, "Alpine:v3.20", "alpine-3.20.3"},
		{"rocky", OSInfo{ID: "rocky", IDLike: []string{"rhel", "centos", "fedora"}, VersionID: "9.4", PrettyName: "Rocky Linux 9.4 (Blue Onyx)"}, "Rocky Linux", "rocky-9.4"},
		{"ubuntu", OSInfo{ID: "ubuntu", IDLike: []string{"debian"}, VersionID: "22.04", VersionCodename: "jammy", PrettyName: "Ubuntu 22.04.4 LTS"}, "Ubuntu:22.04:LTS", "ubuntu-22.04"},
		{"rhel", OSInfo{ID: "rhel", IDLike: []string{"fedora"}, VersionID: "8.8", PrettyName: "Red Hat Enterprise Linux 8.8 (Ootpa)"}, "Red Hat", "rhel-8.8"},
		// OSV has no CentOS ecosystem.
		{"centos", OSInfo{ID: "centos", IDLike: []string{"rhel", "fedora"}, VersionID: "7", PrettyName: "CentOS Linux 7 (Core)"}, "", "centos-7"},
		{"sles", OSInfo{ID: "sles", IDLike: []string{"suse"}, VersionID: "15.3", PrettyName: "SUSE Linux Enterprise Server 15 SP3"}, "SUSE", "sles-15.3"},
		{"opensuse-leap", OSInfo{ID: "opensuse-leap", IDLike: []string{"suse", "opensuse"}, VersionID: "15.5", PrettyName: "openSUSE Leap 15.5"}, "openSUSE", "opensuse-leap-15.5"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "os-release", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := ParseOSRelease(b)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseOSRelease = %+v, want %+v", got, tt.want)
			}
			if e := got.Ecosystem(); e != tt.ecosystem {
				t.Errorf("Ecosystem = %q, want %q", e, tt.ecosystem)
			}
			if d := got.purlDistro(); d != tt.distro {
				t.Errorf("purlDistro = %q, want %q", d, tt.distro)
			}
		})
	}
}

func TestEcosystem(t *testing.T) {
	tests := []struct {
		os   OSInfo
		want string
	}{
		{OSInfo{ID: "debian"}, "Debian"},
		{OSInfo{ID: "debian", VersionID: "11"}, "Debian:11"},
		{OSInfo{ID: "ubuntu", VersionID: "23.10"}, "Ubuntu:23.10"},
		{OSInfo{ID: "ubuntu", VersionID: "24.04"}, "Ubuntu:24.04:LTS"},
		{OSInfo{ID: "alpine", VersionID: "3.21_alpha20240807"}, "Alpine:v3.21"},
		{OSInfo{ID: "alpine", VersionID: "edge"}, "Alpine"},
		{OSInfo{ID: "rhel", VersionID: "9.4"}, "Red Hat"},
		{OSInfo{ID: "almalinux"}, "AlmaLinux"},
		{OSInfo{ID: "wolfi"}, "Wolfi"},
		{OSInfo{ID: "centos"}, ""},
		{OSInfo{ID: "sles", VersionID: "15.5"}, "SUSE"},
		{OSInfo{ID: "sles_sap", VersionID: "15.4"}, "SUSE"},
		{OSInfo{ID: "sle-micro", VersionID: "5.5"}, "SUSE"},
		{OSInfo{ID: "opensuse-leap", VersionID: "15.6"}, "openSUSE"},
		{OSInfo{ID: "opensuse-tumbleweed", VersionID: "20240801"}, "openSUSE"},
		{OSInfo{}, ""},
	}
	for _, tt := range tests {
		if got := tt.os.Ecosystem(); got != tt.want {
			t.Errorf("%+v.Ecosystem() = %q, want %q", tt.os, got, tt.want)
		}
	}
}

func TestOSNamespace(t *testing.T) {
	for id, want := range map[string]string{
		"rhel": "redhat", "centos": "centos", "rocky": "rocky", "debian": "debian",
		"sles": "suse", "sled": "suse", "sle-micro": "suse",
		"opensuse-leap": "opensuse", "opensuse-tumbleweed": "opensuse", "opensuse": "opensuse",
	} {
		if got := osNamespace(OSInfo{ID: id}); got != want {
			t.Errorf("osNamespace(%s) = %q, want %q", id, got, want)
		}
	}
}
