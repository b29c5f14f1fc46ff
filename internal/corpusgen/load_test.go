package corpusgen

import (
	"context"
	"maps"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/terraform"
)

// TestGenerateLoads checks that the loader reads a generated corpus without
// errors and counts exactly the resources the generator says it wrote.
func TestGenerateLoads(t *testing.T) {
	for _, cfg := range []Config{
		{Files: MinFiles, Resources: 7, Seed: 1},
		{Files: 150, Resources: 1500, Seed: 2},
		{Files: 40, Resources: 800, Services: 4, Seed: 3},
		{Files: 300, Resources: 100, Seed: 4},
	} {
		dir := t.TempDir()
		st, err := Generate(dir, cfg)
		if err != nil {
			t.Fatal(err)
		}
		state, err := terraform.Load(context.Background(), dir, terraform.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range state.Errors {
			t.Errorf("%+v: load error %s:%d: %s", cfg, e.File, e.Line, e.Message)
		}
		if len(state.Files) != cfg.Files {
			t.Errorf("%+v: loader read %d files, want %d", cfg, len(state.Files), cfg.Files)
		}
		byType := map[string]int{}
		managed, data := 0, 0
		for _, r := range state.Resources {
			if r.Mode == model.Data {
				data++
				continue
			}
			managed++
			byType[r.Type]++
		}
		if managed != cfg.Resources {
			t.Errorf("%+v: loader found %d resources, want %d", cfg, managed, cfg.Resources)
		}
		if data != st.DataSources {
			t.Errorf("%+v: loader found %d data sources, generator wrote %d", cfg, data, st.DataSources)
		}
		if !maps.Equal(byType, st.ByType) {
			t.Errorf("%+v: resources by type:\nloader    %v\ngenerator %v", cfg, byType, st.ByType)
		}
	}
}
