package dockerfile

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

// FuzzLoad feeds arbitrary bytes to the parser: it must never panic, every
// error must name a line, and every block must lie within the file.
func FuzzLoad(f *testing.F) {
	for _, p := range []string{"testdata/basic/Dockerfile", "testdata/escape/Dockerfile", "testdata/tree/broken/Dockerfile"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"FROM a\nRUN <<EOF\nx\nEOF\n",
		"FROM a\nRUN <<-\"EOT\" cat\n\tx\n\tEOT\n",
		"# escape=`\nFROM a\nRUN x `\n  y\n",
		"ARG A=${B:-c}\nFROM $A AS b\nFROM b\nENV X=${A/b/c} Y=${A%%x}\n",
		"FROM a\nONBUILD RUN <<EOF\nx\nEOF\n",
		"FROM a\nCOPY <<a <<b /dst/\n1\na\n2\nb\n",
		"FROM a\nHEALTHCHECK --interval=5s CMD [\"x\"]\n",
		"FROM a\nENV A=\"unterminated\n",
		"FROM a\nRUN \\\n\n\\\n",
		"FROM a\nUSER ${",
		"\xef\xbb\xbfFROM a\r\nRUN x\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse("Dockerfile", data)
		if err != nil {
			if res != nil {
				t.Fatal("both a resource and an error")
			}
			if err.Line < 1 || err.File != "Dockerfile" || err.Message == "" {
				t.Fatalf("error without location: %+v", err)
			}
			return
		}
		if res == nil {
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		finals := 0
		var check func(b *model.Block)
		check = func(b *model.Block) {
			if b.Type == "" {
				t.Fatalf("block without type in %q", data)
			}
			r := b.Range
			if r.StartLine < 1 || r.EndLine < r.StartLine || r.EndLine > lines {
				t.Fatalf("%s block range %v outside 1..%d", b.Type, r, lines)
			}
			if f, _ := b.Attr("final").Bool(); f {
				finals++
			}
			for _, c := range b.Blocks {
				check(c)
			}
		}
		for _, b := range res.Body.Blocks {
			check(b)
		}
		if finals != 1 {
			t.Fatalf("%d final stages", finals)
		}
	})
}

// BenchmarkLoad loads a tree of realistic multi-stage Dockerfiles.
func BenchmarkLoad(b *testing.B) {
	seed, err := os.ReadFile("testdata/basic/Dockerfile")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var files []walk.File
	for i := range 200 {
		rel := fmt.Sprintf("svc%03d/Dockerfile", i)
		abs := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(abs, seed, 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, walk.File{Rel: rel, Abs: abs})
	}
	b.SetBytes(int64(len(seed) * len(files)))
	b.ResetTimer()
	for b.Loop() {
		st, err := LoadFiles(context.Background(), dir, files, Options{})
		if err != nil || len(st.Resources) != len(files) {
			b.Fatalf("%v, %d resources", err, len(st.Resources))
		}
	}
}
