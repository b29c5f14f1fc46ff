package terraform

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad writes arbitrary text as main.tf and loads it: whatever the
// input, Load must not panic, hang or return an error (errors belong in
// State.Errors).
func FuzzLoad(f *testing.F) {
	for _, fixture := range []string{
		"vars/main.tf", "locals/main.tf", "exprs/main.tf", "count/main.tf",
		"foreach/main.tf", "dynamic/main.tf", "functions/main.tf", "modules/main.tf",
		"unknown/main.tf", "cycles/main.tf", "broken/bad.tf",
	} {
		src, err := os.ReadFile(filepath.Join("testdata", fixture))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	f.Add(`locals { a = [for i in range(10) : { k = i } if i > 2] }
resource "x" "y" { for_each = { for o in local.a : o.k => o } v = each.value.k }`)
	f.Add(`module "m" { source = "./" }`)
	f.Add(`resource "x" "y" { count = -1 }`)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		st, err := Load(ctx, dir, Options{})
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		for _, r := range st.Resources {
			if r.Body == nil {
				t.Fatalf("%s has no body", r.Address())
			}
		}
	})
}
