package catalog

import (
	"archive/tar"
	"debug/buildinfo"
	"runtime/debug"
	"strings"
	"testing"
)

func TestGoBinaryWants(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		path string
		typ  byte
		mode int64
		size int64
		want bool
	}{
		{"/usr/local/bin/app", tar.TypeReg, 0o755, 8 * mb, true},
		{"/server", tar.TypeReg, 0o755, 8 * mb, true},
		{"/ko-app/manager", tar.TypeReg, 0o555, 30 * mb, true},
		{"/opt/vendor/bin/agent", tar.TypeReg, 0o700, 2 * mb, true},
		{"/usr/bin/kubectl", tar.TypeReg, 0o755, 50 * mb, true},
		{"/usr/bin/app", tar.TypeReg, 0o644, 8 * mb, false},                              // not executable
		{"/usr/bin/env", tar.TypeReg, 0o755, 40 << 10, false},                            // too small to be Go
		{"/usr/bin/huge", tar.TypeReg, 0o755, MaxFileSize + 1, false},                    // too large to hold
		{"/usr/lib/x86_64-linux-gnu/libLLVM.so.17", tar.TypeReg, 0o755, 100 * mb, false}, // outside, and a library
		{"/opt/lib/libfoo.so", tar.TypeReg, 0o755, 2 * mb, false},                        // a library
		{"/opt/lib/libfoo.so.1.2", tar.TypeReg, 0o755, 2 * mb, false},                    // a library
		{"/usr/share/app/tool", tar.TypeReg, 0o755, 2 * mb, false},                       // outside the directories read
		{"/usr/local/bin/app", tar.TypeSymlink, 0o777, 0, false},                         // the target is read where it lies
	}
	for _, tt := range tests {
		h := &tar.Header{Typeflag: tt.typ, Mode: tt.mode, Size: tt.size}
		if got := (goBinaryCataloger{}).Wants(tt.path, h); got != tt.want {
			t.Errorf("Wants(%s, %o, %d) = %v, want %v", tt.path, tt.mode, tt.size, got, tt.want)
		}
	}
	if (goBinaryCataloger{}).Wants("/server", nil) {
		t.Error("Wants without a header")
	}
}

func TestGoModules(t *testing.T) {
	bi := &buildinfo.BuildInfo{
		GoVersion: "go1.22.4 X:boringcrypto",
		Path:      "example.com/app/cmd/app",
		Main:      debug.Module{Path: "example.com/app", Version: "v1.4.0"},
		Deps: []*debug.Module{
			{Path: "golang.org/x/net", Version: "v0.20.0"},
			{Path: "github.com/old/lib", Version: "v1.0.0", Replace: &debug.Module{Path: "github.com/fork/lib", Version: "v1.0.1-fix"}},
			{Path: "example.com/local", Version: "v0.0.0", Replace: &debug.Module{Path: "../local"}},
			nil,
		},
		Settings: []debug.BuildSetting{{Key: "GOARCH", Value: "arm64"}},
	}
	var got []string
	for _, p := range goModules(bi, "/app") {
		got = append(got, p.Name+" "+p.Version+" "+p.Arch+" "+p.PURL)
	}
	want := []string{
		"example.com/app v1.4.0 arm64 pkg:golang/example.com/app@v1.4.0",
		"golang.org/x/net v0.20.0 arm64 pkg:golang/golang.org/x/net@v0.20.0",
		"github.com/fork/lib v1.0.1-fix arm64 pkg:golang/github.com/fork/lib@v1.0.1-fix",
		"example.com/local v0.0.0 arm64 pkg:golang/example.com/local@v0.0.0",
		"stdlib 1.22.4 arm64 pkg:golang/stdlib@1.22.4",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ps := goModules(&buildinfo.BuildInfo{GoVersion: "devel"}, "/x"); len(ps) != 0 {
		t.Errorf("modules of an empty build info: %s", dump(ps))
	}
}
