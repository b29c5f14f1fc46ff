package version

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOrdering reads testdata/<ecosystem>.txt: "a op b" lines taken from each
// ecosystem's documented ordering (sources are named at the top of each file),
// and checks Compare in both directions.
func TestOrdering(t *testing.T) {
	files := map[string][]Ecosystem{
		"debian.txt": {Debian, "Debian:12", Ubuntu},
		"alpine.txt": {Alpine, "Alpine:v3.20"},
		"rpm.txt":    {RedHat, Rocky, AlmaLinux, "Red Hat:enterprise_linux:9::baseos", SUSE, "SUSE:Linux Enterprise Server 15 SP5", OpenSUSE, "openSUSE:Leap 15.5"},
		"go.txt":     {Go},
	}
	for file, ecos := range files {
		for _, tc := range readCases(t, file) {
			for _, eco := range ecos {
				got, err := Compare(eco, tc.a, tc.b)
				if err != nil {
					t.Errorf("%s:%d: Compare(%s, %q, %q): %v", file, tc.line, eco, tc.a, tc.b, err)
					continue
				}
				if got != tc.want {
					t.Errorf("%s:%d: Compare(%s, %q, %q) = %d, want %d", file, tc.line, eco, tc.a, tc.b, got, tc.want)
				}
				if back, _ := Compare(eco, tc.b, tc.a); back != -tc.want {
					t.Errorf("%s:%d: Compare(%s, %q, %q) = %d, want %d", file, tc.line, eco, tc.b, tc.a, back, -tc.want)
				}
			}
		}
	}
}

type orderCase struct {
	a, b string
	want int
	line int
}

func readCases(t *testing.T, name string) []orderCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []orderCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 {
			t.Fatalf("%s:%d: want \"a op b\", got %q", name, n, line)
		}
		want := map[string]int{"<": -1, "=": 0, ">": 1}
		w, ok := want[fields[1]]
		if !ok {
			t.Fatalf("%s:%d: unknown operator %q", name, n, fields[1])
		}
		out = append(out, orderCase{a: fields[0], b: fields[2], want: w, line: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no cases", name)
	}
	return out
}

func TestMalformed(t *testing.T) {
	cases := []struct {
		eco Ecosystem
		v   string
	}{
		{Debian, ""},
		{Debian, "a:1.0"},
		{Debian, ":1.0"},
		{Debian, "1.0-"},
		{Debian, "1.0 beta"},
		{Debian, "1:"},
		{Debian, "1.0-1_2"},
		{Alpine, ""},
		{Alpine, "1.0_foo"},
		{Alpine, "1.0-1"},
		{Alpine, "1..0"},
		{Alpine, "1.0-r"},
		{Alpine, "abc"},
		{RedHat, ""},
		{RedHat, "x:1.0"},
		{RedHat, "1.0-"},
		{Go, ""},
		{Go, "1.2.3.4"},
		{Go, "1.02.3"},
		{Go, "1.2.3-01"},
		{Go, "1.2.3-"},
		{Go, "1.2.3+"},
		{Go, "1.2.x"},
		{Go, "v"},
	}
	for _, tc := range cases {
		_, err := Compare(tc.eco, tc.v, tc.v)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Compare(%s, %q): err = %v, want *ParseError", tc.eco, tc.v, err)
		}
	}
}

func TestUnknownEcosystem(t *testing.T) {
	if _, err := Compare("npm", "1.0.0", "1.0.1"); !errors.Is(err, ErrUnknownEcosystem) {
		t.Fatalf("err = %v, want ErrUnknownEcosystem", err)
	}
}

func FuzzCompare(f *testing.F) {
	for _, s := range [][2]string{
		{"1:1.0-1", "1.0~rc1-1"}, {"1.0_rc1-r0", "1.0-r1"}, {"1.0^git1", "1.0~rc1"},
		{"v1.2.3-pre.1+incompatible", "1.2.3"}, {"0", "00"}, {"1.01", "1.1"},
	} {
		f.Add(s[0], s[1])
	}
	ecos := []Ecosystem{Debian, Alpine, RedHat, Go}
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, eco := range ecos {
			ab, errA := Compare(eco, a, b)
			ba, errB := Compare(eco, b, a)
			if (errA == nil) != (errB == nil) {
				t.Fatalf("%s: errors differ by argument order: %v / %v", eco, errA, errB)
			}
			if errA != nil {
				continue
			}
			if ab != -ba {
				t.Fatalf("%s: Compare(%q, %q) = %d but Compare(%q, %q) = %d", eco, a, b, ab, b, a, ba)
			}
			if aa, _ := Compare(eco, a, a); aa != 0 {
				t.Fatalf("%s: Compare(%q, %q) = %d, want 0", eco, a, a, aa)
			}
		}
	})
}
