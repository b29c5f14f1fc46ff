package terraform

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// render writes a state as text: every resource, attribute (value, range,
// refs), nested block, error, note and file, in a stable order.
func render(st *model.State) string {
	var b strings.Builder
	for _, r := range st.Resources {
		fmt.Fprintf(&b, "%s %s\n", r.Address(), r.Range)
		renderBlock(&b, r.Body, "  ")
	}
	for _, e := range st.Errors {
		fmt.Fprintf(&b, "ERROR %v\n", e)
	}
	for _, n := range st.Notes {
		fmt.Fprintf(&b, "NOTE %s: %s\n", n.File, n.Message)
	}
	fmt.Fprintf(&b, "FILES %s\n", strings.Join(st.Files, " "))
	return b.String()
}

func renderBlock(b *strings.Builder, bl *model.Block, indent string) {
	names := make([]string, 0, len(bl.Attrs))
	for n := range bl.Attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := bl.Attrs[n]
		fmt.Fprintf(b, "%s%s = %s %s %v\n", indent, n, valueString(a.Value), a.Range, a.Refs)
	}
	for _, c := range bl.Blocks {
		fmt.Fprintf(b, "%s%s %q %s\n", indent, c.Type, c.Labels, c.Range)
		renderBlock(b, c, indent+"  ")
	}
}

// valueString is JSON for a wholly known value, "unknown" for an unknown
// one, and cty's Go syntax for a partly known one.
func valueString(v cty.Value) string {
	if !v.IsKnown() {
		return "unknown"
	}
	if v.IsWhollyKnown() {
		if j, err := ctyjson.Marshal(v, v.Type()); err == nil {
			return string(j)
		}
	}
	return v.GoString()
}

func load(t testing.TB, dir string, opts Options) *model.State {
	t.Helper()
	st, err := Load(context.Background(), dir, opts)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return st
}

func findResource(st *model.State, addr string) *model.Resource {
	for _, r := range st.Resources {
		if r.Address() == addr {
			return r
		}
	}
	return nil
}

// findAttr follows a path such as "name" or "ingress[1].from_port".
func findAttr(r *model.Resource, path string) *model.Attribute {
	b := r.Body
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		typ, idx := p, 0
		if i := strings.IndexByte(p, '['); i >= 0 {
			typ = p[:i]
			fmt.Sscanf(p[i:], "[%d]", &idx)
		}
		bs := b.BlocksOf(typ)
		if idx >= len(bs) {
			return nil
		}
		b = bs[idx]
	}
	return b.Attr(parts[len(parts)-1])
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file %s (run go test -update after checking):\n--- got\n%s--- want\n%s", name, path, got, want)
	}
}
