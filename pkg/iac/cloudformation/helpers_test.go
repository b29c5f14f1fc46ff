package cloudformation

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

// loadDir loads every matching file under dir, as a scan would.
func loadDir(t testing.TB, dir string, opts Options) *model.State {
	t.Helper()
	res, err := walk.Walk(context.Background(), dir, walk.Options{Match: Match})
	if err != nil {
		t.Fatal(err)
	}
	st, err := LoadFiles(context.Background(), dir, res.Files, opts)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// loadText loads one template given as text.
func loadText(t testing.TB, text string, opts Options) *model.State {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return loadDir(t, dir, opts)
}

func find(st *model.State, typ, name string) *model.Resource {
	for _, r := range st.Resources {
		if r.Type == typ && r.Name == name {
			return r
		}
	}
	return nil
}

// dump renders a state as stable text: resources in load order with
// ranges, labels, attributes (value, lines, refs) and nested blocks.
func dump(st *model.State) string {
	var b strings.Builder
	for _, e := range st.Errors {
		fmt.Fprintf(&b, "error %s\n", e.Error())
	}
	for _, r := range st.Resources {
		fmt.Fprintf(&b, "%s%s [%s] %q\n", r.BaseAddress(), r.Key, lines(r.Range), r.Label)
		dumpBlock(&b, r.Body, "  ")
	}
	return b.String()
}

func dumpBlock(b *strings.Builder, blk *model.Block, indent string) {
	names := make([]string, 0, len(blk.Attrs))
	for n := range blk.Attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := blk.Attrs[n]
		fmt.Fprintf(b, "%s%s = %s [%s]", indent, n, render(a.Value), lines(a.Range))
		if len(a.Refs) > 0 {
			fmt.Fprintf(b, " refs=%s", strings.Join(a.Refs, ","))
		}
		if a.Decoded != cty.NilVal {
			fmt.Fprintf(b, " decoded=%s", render(a.Decoded))
		}
		b.WriteByte('\n')
	}
	for _, c := range blk.Blocks {
		fmt.Fprintf(b, "%s%s [%s]\n", indent, c.Type, lines(c.Range))
		dumpBlock(b, c, indent+"  ")
	}
}

func lines(r model.Range) string {
	if r.EndLine > r.StartLine {
		return fmt.Sprintf("%s:%d-%d", r.File, r.StartLine, r.EndLine)
	}
	return fmt.Sprintf("%s:%d", r.File, r.StartLine)
}

// render writes a value compactly; unknown parts are "?".
func render(v cty.Value) string {
	if !v.IsKnown() {
		return "?"
	}
	if v.IsNull() {
		return "null"
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return fmt.Sprintf("%q", v.AsString())
	case ty == cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case ty == cty.Bool:
		return fmt.Sprint(v.True())
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			parts = append(parts, render(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case ty.IsObjectType() || ty.IsMapType():
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			parts = append(parts, k.AsString()+": "+render(e))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return v.GoString()
}
