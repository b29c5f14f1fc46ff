package rules

import (
	"slices"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// This file reads the Dockerfile model (see pkg/iac/dockerfile): a resource
// per file, a "stage" block per FROM, an instruction block per instruction.

// dockerStage is one build stage of a Dockerfile.
type dockerStage struct {
	block *model.Block
	name  string
	base  string
	index int
	final bool
	// parent is the earlier stage this one is built FROM, if any: its
	// USER, HEALTHCHECK and EXPOSE carry over.
	parent *dockerStage
}

// from is the stage's FROM instruction, where findings about the stage as a
// whole point.
func (s *dockerStage) from() *model.Block {
	if f := s.block.Block("from"); f != nil {
		return f
	}
	return s.block
}

// instructions returns the stage's instructions of the given types, in order.
func (s *dockerStage) instructions(types ...string) []*model.Block {
	var out []*model.Block
	for _, b := range s.block.Blocks {
		for _, t := range types {
			if b.Type == t {
				out = append(out, b)
				break
			}
		}
	}
	return out
}

// dockerfile is one loaded Dockerfile.
type dockerfile struct {
	res    *model.Resource
	stages []*dockerStage
	// globalArgs are the ARG instructions before the first FROM.
	globalArgs []*model.Block
}

// dockerfiles returns the Dockerfiles in the state.
func dockerfiles(s *model.State) []*dockerfile {
	var out []*dockerfile
	for _, res := range s.OfType("dockerfile") {
		df := &dockerfile{res: res}
		for _, b := range res.Body.Blocks {
			switch b.Type {
			case "arg":
				df.globalArgs = append(df.globalArgs, b)
			case "stage":
				st := &dockerStage{block: b}
				st.name, _ = b.Attr("name").String()
				st.base, _ = b.Attr("base").String()
				idx, _ := b.Attr("index").Int()
				st.index = int(idx)
				st.final, _ = b.Attr("final").Bool()
				st.parent = df.named(st.base)
				df.stages = append(df.stages, st)
			}
		}
		if len(df.stages) > 0 {
			out = append(out, df)
		}
	}
	return out
}

// named returns the stage declared so far that a FROM names, or nil when
// the FROM names an image. Stage names are case-insensitive.
func (df *dockerfile) named(ref string) *dockerStage {
	for i := len(df.stages) - 1; i >= 0; i-- {
		if st := df.stages[i]; st.name != "" && strings.EqualFold(st.name, ref) {
			return st
		}
	}
	return nil
}

// stage returns the stage a COPY --from names, by name or by index, among
// the stages before the given one; nil when it names an image.
func (df *dockerfile) stage(ref string, before int) *dockerStage {
	for i := min(before, len(df.stages)) - 1; i >= 0; i-- {
		if st := df.stages[i]; st.name != "" && strings.EqualFold(st.name, ref) {
			return st
		}
	}
	if n, err := strconv.Atoi(ref); err == nil && n >= 0 && n < before && n < len(df.stages) {
		return df.stages[n]
	}
	return nil
}

// final returns the stage `docker build` outputs: the last one.
func (df *dockerfile) final() *dockerStage { return df.stages[len(df.stages)-1] }

// shipped returns the stages whose instructions shape the final image, in
// source order: the stages the final one is built FROM, then the final
// stage. Other stages only build artifacts; what they install or configure
// is not in the image.
func (df *dockerfile) shipped() []*dockerStage {
	var out []*dockerStage
	for st := df.final(); st != nil && len(out) <= len(df.stages); st = st.parent {
		out = append(out, st)
	}
	slices.Reverse(out)
	return out
}

// dfArgs returns an instruction's arguments.
func dfArgs(b *model.Block) []string {
	ss, _ := b.Attr("args").Strings()
	return ss
}

// dfFlag returns the value of an instruction flag such as --from, and
// whether it is set.
func dfFlag(b *model.Block, name string) (string, bool) {
	flags, _ := b.Attr("flags").Strings()
	for _, f := range flags {
		k, v, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// dfRunScript returns what a RUN instruction executes: its command line and
// the bodies of its heredocs, one per line.
func dfRunScript(b *model.Block) string {
	parts := []string{strings.Join(dfArgs(b), " ")}
	if hs, _ := b.Attr("heredocs").Strings(); len(hs) > 0 {
		parts = append(parts, hs...)
	}
	return strings.Join(parts, "\n")
}

// dfSources returns the source arguments of COPY or ADD (every argument but
// the destination), without heredoc markers.
func dfSources(b *model.Block) []string {
	args := dfArgs(b)
	if len(args) < 2 {
		return nil
	}
	var out []string
	for _, a := range args[:len(args)-1] {
		if !strings.HasPrefix(a, "<<") {
			out = append(out, a)
		}
	}
	return out
}

// dfUnresolved reports whether a value still holds a variable the loader
// could not expand: rules must not guess about it.
func dfUnresolved(s string) bool { return strings.Contains(s, "$") }

// dfKV splits an ENV, ARG or LABEL argument into key and value; has is false
// for an ARG without default.
func dfKV(arg string) (key, value string, has bool) {
	return strings.Cut(arg, "=")
}
