package kubernetes

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// load walks dir the way a scan does and loads it.
func load(t testing.TB, dir string, opts Options) *model.State {
	t.Helper()
	ctx := context.Background()
	w, err := walk.Walk(ctx, dir, walk.Options{Match: Match})
	if err != nil {
		t.Fatal(err)
	}
	st, err := LoadFiles(ctx, dir, w.Files, opts)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// dump renders a resource as text: one line per block and attribute with
// its range, for golden comparisons and for reading failures.
func dump(r *model.Resource) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %q %s\n", r.Label, r.Type, r.Name, rangeString(r.Range))
	dumpBlock(&b, r.Body, "  ")
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
		fmt.Fprintf(b, "%s%s = %s %s\n", indent, n, valueString(a.Value), rangeString(a.Range))
	}
	for _, c := range blk.Blocks {
		fmt.Fprintf(b, "%s%s { %s\n", indent, c.Type, rangeString(c.Range))
		dumpBlock(b, c, indent+"  ")
		fmt.Fprintf(b, "%s}\n", indent)
	}
}

func rangeString(r model.Range) string {
	return fmt.Sprintf("%s:%d-%d", r.File, r.StartLine, r.EndLine)
}

func valueString(v cty.Value) string {
	if v.IsNull() {
		return "null"
	}
	if !v.IsWhollyKnown() {
		return "(unknown)"
	}
	if v.Type() == cty.Number {
		return "number(" + v.AsBigFloat().Text('g', -1) + ")"
	}
	if v.Type() == cty.Bool {
		return fmt.Sprintf("bool(%t)", v.True())
	}
	js, err := ctyjson.SimpleJSONValue{Value: v}.MarshalJSON()
	if err != nil {
		return v.GoString()
	}
	return string(js)
}
