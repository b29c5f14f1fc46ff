package dockerfile

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		rel  string
		want bool
	}{
		{"Dockerfile", true},
		{"svc/Dockerfile", true},
		{"Containerfile", true},
		{"dockerfile", true},
		{"Dockerfile.prod", true},
		{"deploy/Dockerfile.alpine", true},
		{"api.Dockerfile", true},
		{"api.dockerfile", true},
		{"web.Containerfile", true},
		{"Dockerfile.dockerignore", false},
		{"api.Dockerfile.dockerignore", false},
		{".dockerignore", false},
		{"Dockerfile.", false},
		{".dockerfile", false},
		{"Dockerfiles", false},
		{"MyDockerfile", false},
		{"docker-compose.yml", false},
		{"main.tf", false},
	}
	for _, tt := range tests {
		if got := Match(tt.rel); got != tt.want {
			t.Errorf("Match(%q) = %v, want %v", tt.rel, got, tt.want)
		}
	}
}

// view renders a resource body one block per line, attributes sorted, so
// a test states the whole model it expects.
func view(b *model.Block, indent string, out *[]string) {
	var attrs []string
	for name, a := range b.Attrs {
		if name == "original" || name == "flags" && isEmpty(a) || name == "heredocs" && isEmpty(a) || name == "json" && !isTrue(a) {
			continue
		}
		attrs = append(attrs, name+"="+render(a))
	}
	sort.Strings(attrs)
	line := fmt.Sprintf("%s%s%s %d-%d", indent, b.Type, labels(b.Labels), b.Range.StartLine, b.Range.EndLine)
	if len(attrs) > 0 {
		line += " " + strings.Join(attrs, " ")
	}
	*out = append(*out, line)
	for _, c := range b.Blocks {
		view(c, indent+"  ", out)
	}
}

func labels(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	return "[" + strings.Join(ls, ",") + "]"
}

func isEmpty(a *model.Attribute) bool { ss, _ := a.Strings(); return len(ss) == 0 }
func isTrue(a *model.Attribute) bool  { v, _ := a.Bool(); return v }

func render(a *model.Attribute) string {
	if a.Value.Type().IsTupleType() {
		ss, _ := a.Strings()
		q := make([]string, len(ss))
		for i, s := range ss {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, " ") + "]"
	}
	s, _ := a.String()
	return strconv.Quote(s)
}

func TestParse(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{
			file: "testdata/basic/Dockerfile",
			want: []string{
				"arg 2-2 args=[\"REGISTRY=docker.io/library\"]",
				"arg 3-3 args=[\"TAG=3.19\"]",
				"arg 4-4 args=[\"VERSION\"]",
				"stage[build] 6-23 base=\"docker.io/library/golang:1.22-alpine3.19\" final=\"false\" index=\"0\" name=\"build\"",
				"  from 6-6 args=[\"docker.io/library/golang:1.22-alpine3.19\" \"AS\" \"Build\"] flags=[\"--platform=$BUILDPLATFORM\"]",
				"  arg 7-7 args=[\"TAG\"]",
				"  arg 8-8 args=[\"GOFLAGS=-trimpath\"]",
				"  env 9-9 args=[\"CGO_ENABLED=0\" \"GREETING=hello world\" \"COPY_OF=$CGO_ENABLED\"]",
				"  env 10-10 args=[\"PATH=/go/bin:$PATH\"]",
				"  workdir 11-11 args=[\"/src/3.19\"]",
				"  run 13-16 args=[\"apk add --no-cache       git       make\"]",
				"  run 17-20 args=[\"<<EOF\"] heredocs=[\"set -e\\ngo build -o /out/app .\\n\"]",
				"  run 21-23 args=[\"<<-EOT bash\"] heredocs=[\"echo tabs are chomped\\n\"]",
				"stage[1] 25-31 base=\"alpine:3.19@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b\" final=\"true\" index=\"1\" name=\"\"",
				"  from 25-25 args=[\"alpine:3.19@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b\"]",
				"  label 26-26 args=[\"org.opencontainers.image.version=$VERSION\" \"maintainer=ops team\"]",
				"  copy 27-27 args=[\"/out/app\" \"/usr/local/bin/app\"] flags=[\"--from=build\" \"--chmod=0755\"]",
				"  expose 28-28 args=[\"8080/tcp\"]",
				"  user 29-29 args=[\"10001:10001\"]",
				"  onbuild 30-30 args=[\"RUN\" \"echo child\"]",
				"  cmd 31-31 args=[\"app\" \"--serve\"] json=\"true\"",
			},
		},
		{
			file: "testdata/escape/Dockerfile",
			want: []string{
				"stage[0] 2-6 base=\"mcr.microsoft.com/windows/servercore:ltsc2022\" final=\"true\" index=\"0\" name=\"\"",
				"  from 2-2 args=[\"mcr.microsoft.com/windows/servercore:ltsc2022\"]",
				"  env 3-3 args=[\"DIR=C:\\\\app\"]",
				"  workdir 4-4 args=[\"C:\\\\app\\\\bin\"]",
				"  run 5-6 args=[\"powershell -Command     Write-Host hello\"]",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			res, perr := Parse("Dockerfile", data)
			if perr != nil {
				t.Fatalf("Parse: %v", perr)
			}
			if res.Type != "dockerfile" || res.Format != "dockerfile" || res.Name != "Dockerfile" || res.Address() != "Dockerfile" {
				t.Errorf("resource = %s %s %s %s", res.Type, res.Format, res.Name, res.Address())
			}
			var got []string
			for _, b := range res.Body.Blocks {
				view(b, "", &got)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("model:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if res.Range.StartLine != 1 || res.Range.EndLine != lastLine(got) {
				t.Errorf("resource range = %v", res.Range)
			}
		})
	}
}

// lastLine is the end line of the last block in a view.
func lastLine(view []string) int {
	f := strings.Fields(view[len(view)-1])
	_, end, _ := strings.Cut(f[1], "-")
	n, _ := strconv.Atoi(end)
	return n
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantLine int
		wantMsg  string
	}{
		{"unknown instruction", "FROM alpine\nRUN true\nFROBNICATE now\n", 3, "unknown instruction: FROBNICATE"},
		{"unterminated heredoc", "FROM alpine\nRUN <<EOF\necho hi\n", 2, "unterminated heredoc"},
		{"instruction before FROM", "ARG X=1\nRUN echo hi\nFROM alpine\n", 2, "RUN before the first FROM"},
		{"no FROM", "# only args\nARG X=1\n", 2, "no FROM instruction"},
		{"bad flag", "FROM alpine\nCOPY --nope=1 a b\n", 2, "unknown flag: --nope"},
		{"env without value", "FROM alpine\n\nENV\n", 3, "ENV requires at least one argument"},
		{"bad escape directive", "# syntax=docker/dockerfile:1\n# escape=x\nFROM alpine\n", 2, "invalid escape token"},
		{"from with two words", "FROM alpine AS\n", 1, "FROM requires either one or three arguments"},
		{"error in continuation", "FROM alpine\nHEALTHCHECK \\\n  --interval=abc \\\n  CMD true\n", 2, "invalid duration"},
		{"chained onbuild", "FROM alpine\nONBUILD ONBUILD RUN x\n", 2, "ONBUILD ONBUILD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse("x/Dockerfile", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error; resource %+v", res)
			}
			if res != nil {
				t.Errorf("a file with an error gave a resource")
			}
			if err.File != "x/Dockerfile" || err.Line != tt.wantLine || !strings.Contains(err.Message, tt.wantMsg) {
				t.Errorf("error = %v, want x/Dockerfile:%d: ...%s...", err, tt.wantLine, tt.wantMsg)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "\n\n", "# just a comment\n", "\xef\xbb\xbf# BOM\n"} {
		res, err := Parse("Dockerfile", []byte(src))
		if res != nil || err != nil {
			t.Errorf("Parse(%q) = %v, %v; want nothing", src, res, err)
		}
	}
}

func TestVariables(t *testing.T) {
	src := `ARG BASE=alpine
ARG V=3.19
ARG UNSET
FROM $BASE:$V AS one
ENV HOME_DIR=/home/app
ARG V
USER $UNSET
WORKDIR ${HOME_DIR}/$V
FROM one AS two
ARG V=4.0
WORKDIR $HOME_DIR/$V
FROM ${UNSET:-busybox}
EXPOSE $V
`
	res, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	stages := res.Body.BlocksOf("stage")
	if len(stages) != 3 {
		t.Fatalf("%d stages", len(stages))
	}
	argsOf := func(stage int, typ string) string {
		ss, _ := stages[stage].Block(typ).Attr("args").Strings()
		return strings.Join(ss, " ")
	}
	base := func(stage int) string { s, _ := stages[stage].Attr("base").String(); return s }
	checks := []struct{ got, want string }{
		{base(0), "alpine:3.19"},
		{argsOf(0, "user"), "$UNSET"},            // an ARG without default is unknown
		{argsOf(0, "workdir"), "/home/app/3.19"}, // ARG redeclared in a stage takes the global value
		{argsOf(1, "workdir"), "/home/app/4.0"},  // ENV inherited from stage one; ARG default
		{base(2), "${UNSET:-busybox}"},           // unknown: left as written
		{argsOf(2, "expose"), "$V"},              // a stage does not see global ARGs it did not declare
		{base(1), "one"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: got %q, want %q", i, c.got, c.want)
		}
	}
	if f, _ := stages[2].Attr("final").Bool(); !f {
		t.Error("last stage is not final")
	}
	if f, _ := stages[0].Attr("final").Bool(); f {
		t.Error("first stage is final")
	}
}

func TestLoadFiles(t *testing.T) {
	st, err := Load(context.Background(), "testdata/tree", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range st.Resources {
		names = append(names, r.Name)
		if r.Format != Format || r.Type != Format || r.Range.File != r.Name {
			t.Errorf("%s: format %q type %q range %v", r.Name, r.Format, r.Type, r.Range)
		}
	}
	wantRes := []string{"Dockerfile", "svc/Containerfile", "svc/Dockerfile.prod", "svc/api.Dockerfile"}
	if !reflect.DeepEqual(names, wantRes) {
		t.Errorf("resources = %v, want %v", names, wantRes)
	}
	wantFiles := []string{"Dockerfile", "broken/Dockerfile", "svc/Containerfile", "svc/Dockerfile.prod", "svc/api.Dockerfile"}
	if !reflect.DeepEqual(st.Files, wantFiles) {
		t.Errorf("files = %v, want %v", st.Files, wantFiles)
	}
	wantErrs := []finding.Error{{File: "broken/Dockerfile", Line: 4, Message: "unknown instruction: FROBNICATE"}}
	if !reflect.DeepEqual(st.Errors, wantErrs) {
		t.Errorf("errors = %v, want %v", st.Errors, wantErrs)
	}
	wantNotes := []finding.Note{{File: "empty/Dockerfile", Message: "skipped: Dockerfile has no instructions"}}
	if !reflect.DeepEqual(st.Notes, wantNotes) {
		t.Errorf("notes = %v, want %v", st.Notes, wantNotes)
	}
}

func TestLoadFilesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, "testdata/tree", Options{}); err == nil {
		t.Error("a cancelled load returned no error")
	}
}

func TestLoadFilesUnreadable(t *testing.T) {
	dir := t.TempDir()
	files := []walk.File{{Rel: "gone/Dockerfile", Abs: filepath.Join(dir, "gone", "Dockerfile")}}
	st, err := LoadFiles(context.Background(), dir, files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Errors) != 1 || st.Errors[0].File != "gone/Dockerfile" || len(st.Resources) != 0 {
		t.Errorf("state = %+v", st)
	}
}

// TestParseQuiet checks that input BuildKit's lexer dislikes (invalid UTF-8,
// NUL, a stray byte-order mark) leaves standard error alone: text/scanner
// prints such complaints itself, which would garble a scan's output.
func TestParseQuiet(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	for _, src := range []string{
		"FROM a\nENV A=\xff\xfe B=\x00\nUSER \xef\xbb\xbfroot\n",
		"FROM a\nRUN <<E\xffOF\nx\nE\xffOF\n",
		"\xef\xbb\xbfFROM a\nWORKDIR /\xc3\n",
	} {
		res, perr := Parse("Dockerfile", []byte(src))
		if perr != nil || res == nil {
			t.Errorf("Parse(%q) = %v, %v", src, res, perr)
		}
	}
	os.Stderr = stderr
	w.Close()
	out, _ := io.ReadAll(r)
	if len(out) > 0 {
		t.Errorf("Parse wrote to standard error: %q", out)
	}
}
