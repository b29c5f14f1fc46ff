package scan

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/fixity-sec/fixity/internal/corpusgen"
)

// BenchmarkScan measures a whole scan (walk, load, every rule, suppressions)
// of the default synthetic corpus: 2,000 files, 20,000 resources. Record
// results in docs/performance.md with the command that produced them:
//
//	go test -run '^$' -bench Scan -benchmem ./pkg/scan
func BenchmarkScan(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "corpus")
	st, err := corpusgen.Generate(dir, corpusgen.Config{Files: 2000, Resources: 20000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rep, err := Run(context.Background(), Options{Root: dir})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Summary.Resources != st.Resources || len(rep.Errors) != 0 {
			b.Fatalf("scanned %d resources with %d errors, want %d and none", rep.Summary.Resources, len(rep.Errors), st.Resources)
		}
	}
}

// BenchmarkScanMixed is BenchmarkScan on a mixed corpus of the same size:
// 2,000 files and 20,000 resources split across Terraform, CloudFormation,
// Kubernetes manifests and Dockerfiles (see corpusgen.Config.Mix).
func BenchmarkScanMixed(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "corpus")
	st, err := corpusgen.Generate(dir, corpusgen.Config{Files: 2000, Resources: 20000, Seed: 1, Mix: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rep, err := Run(context.Background(), Options{Root: dir})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Summary.Resources != st.Resources || len(rep.Errors) != 0 {
			b.Fatalf("scanned %d resources with %d errors, want %d and none", rep.Summary.Resources, len(rep.Errors), st.Resources)
		}
	}
}
