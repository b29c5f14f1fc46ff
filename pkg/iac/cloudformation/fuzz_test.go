package cloudformation

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

// FuzzLoad feeds arbitrary bytes to the loader, without the recover that
// guards a scan, so that any panic is found. Loaded resources must be
// well-formed: labelled, with a body and ranges inside the file.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*", "*"))
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(strings.Replace(exprTemplate, "EXPR", "!Sub [\"${A}\", {A: !Cidr [10.0.0.0/8, 256, 1]}]", 1)))
	f.Add([]byte("Resources: {A: {Type: AWS::S3::Bucket, Properties: &x {B: *x}}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := loadBytes("f.yaml", data, Options{Params: map[string]string{"Env": "prod"}})
		lines := strings.Count(string(data), "\n") + 1
		for _, r := range res.resources {
			if r.Label == "" || r.Body == nil || r.Format != "cloudformation" {
				t.Fatalf("malformed resource %+v", r)
			}
			checkRange(t, r.Range, lines)
			checkBlock(t, r.Body, lines)
		}
		for _, e := range res.errors {
			if e.File != "f.yaml" || e.Line < 0 || e.Line > lines {
				t.Fatalf("bad error %+v", e)
			}
		}
	})
}

func checkBlock(t *testing.T, b *model.Block, lines int) {
	for _, a := range b.Attrs {
		checkRange(t, a.Range, lines)
		_ = a.Value.IsWhollyKnown()
	}
	for _, c := range b.Blocks {
		checkRange(t, c.Range, lines)
		checkBlock(t, c, lines)
	}
}

func checkRange(t *testing.T, r model.Range, lines int) {
	if r.File != "f.yaml" || r.StartLine < 1 || r.EndLine < r.StartLine || r.EndLine > lines {
		t.Fatalf("bad range %+v (file has %d lines)", r, lines)
	}
}

// TestHostileInput: inputs built to exhaust a loader end in an error or in
// unknown values, never in a panic or a hang.
func TestHostileInput(t *testing.T) {
	// Each alias doubles the value: 2^40 strings if expanded naively.
	var bomb strings.Builder
	bomb.WriteString("AWSTemplateFormatVersion: x\nMappings:\n  M:\n    a0: &a0 [x, x]\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&bomb, "    a%d: &a%d [*a%d, *a%d]\n", i, i, i-1, i-1)
	}
	bomb.WriteString("Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Value: *a40\n")

	deep := "AWSTemplateFormatVersion: x\nResources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Value: " +
		strings.Repeat("{\"Fn::Base64\": ", 2000) + "x" + strings.Repeat("}", 2000) + "\n"

	join := "AWSTemplateFormatVersion: x\nMappings:\n  M:\n    s0: &s0 " + strings.Repeat("y", 1000) + "\n"
	for i := 1; i <= 30; i++ {
		join += fmt.Sprintf("    s%d: &s%d {\"Fn::Join\": [\"\", [*s%d, *s%d]]}\n", i, i, i-1, i-1)
	}
	join += "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Value: *s30\n"

	for name, text := range map[string]string{"alias bomb": bomb.String(), "deep": deep, "join bomb": join} {
		t.Run(name, func(t *testing.T) {
			st := loadText(t, text, Options{})
			if len(st.Errors) != 1 || !strings.Contains(st.Errors[0].Message, "too large or too deeply nested") {
				t.Errorf("want the evaluation limit error, got %v", st.Errors)
			}
			for _, r := range st.Resources {
				if a := r.Attr("value"); a != nil && len(render(a.Value)) > 2*maxString {
					t.Errorf("value of %d bytes escaped the bounds", len(render(a.Value)))
				}
			}
		})
	}
}

// BenchmarkLoad loads a few hundred templates of a dozen resources each.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	var files []walk.File
	tmpl, err := os.ReadFile(filepath.Join("testdata", "templates", "network.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		name := fmt.Sprintf("stack-%03d.yaml", i)
		abs := filepath.Join(dir, name)
		if err := os.WriteFile(abs, tmpl, 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, walk.File{Rel: name, Abs: abs})
	}
	b.ResetTimer()
	for b.Loop() {
		st, err := LoadFiles(context.Background(), dir, files, Options{})
		if err != nil || len(st.Resources) == 0 {
			b.Fatal(err)
		}
	}
}
