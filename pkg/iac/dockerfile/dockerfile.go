// Package dockerfile loads Dockerfiles (and Containerfiles) into the model
// with BuildKit's own parser, so that what a rule sees is what `docker build`
// would build: the same line continuations, heredocs, escape directive and
// ARG/ENV expansion.
//
// Each file is one model.Resource of Type "dockerfile", named by its path.
// Its Body holds the global ARG instructions (those before the first FROM)
// as Blocks of type "arg", then one Block of type "stage" per FROM. A stage
// has the attributes
//
//	name   the stage name ("" when the stage has none)
//	index  its position, from 0
//	base   the FROM image after global ARG expansion
//	final  whether it is the last stage, the one `docker build` outputs
//
// and one Block per instruction, the FROM included, in source order. An
// instruction Block's Type is the instruction lowercased ("run", "user") and
// its Range covers every line of it, continuation and heredoc lines included.
// Its attributes are
//
//	args      the arguments, expanded where BuildKit expands ARG and ENV
//	          values (not RUN, CMD, ENTRYPOINT, HEALTHCHECK or SHELL, which a
//	          shell expands at run time). ENV, ARG and LABEL arguments are
//	          one "KEY=value" (or "KEY" for an ARG without default) each.
//	original  the instruction's source text, continuations joined
//	flags     the flags as written, e.g. "--platform=$BUILDPLATFORM"
//	heredocs  the bodies of the instruction's heredocs
//	json      true when the arguments are in exec (JSON array) form
//
// A variable whose value cannot be known statically (an ARG without a
// default, an ENV inherited from the base image, a platform ARG) is left as
// written, "$NAME", so a rule can tell an unknown value from an empty one.
package dockerfile

import (
	"context"
	"fmt"
	"os"
	"path"
	"runtime"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

// Format is the model.Resource Format and the resource Type of Dockerfiles.
const Format = "dockerfile"

// Options control a load.
type Options struct {
	// MaxFileSize is the largest file read; 0 means walk.DefaultMaxFileSize.
	MaxFileSize int64
}

// Match reports whether a walked file may be a Dockerfile, by name:
// Dockerfile, Containerfile, Dockerfile.<suffix>, <name>.Dockerfile and
// <name>.dockerfile. BuildKit's per-Dockerfile ignore files
// (Dockerfile.dockerignore) are not Dockerfiles.
func Match(rel string) bool {
	name := path.Base(rel)
	lower := strings.ToLower(name)
	switch {
	case exactName(name):
		return true
	case strings.HasSuffix(lower, ".dockerignore"):
		return false
	case strings.HasPrefix(name, "Dockerfile.") || strings.HasPrefix(name, "Containerfile."):
		return len(name) > len("Dockerfile.")
	case strings.HasSuffix(lower, ".dockerfile") || strings.HasSuffix(lower, ".containerfile"):
		return len(name) > len(".dockerfile")
	}
	return false
}

// exactName reports whether the file name is only ever a Dockerfile. Other
// matching names (Dockerfile.md, notes.dockerfile) are sniffed first.
func exactName(name string) bool {
	return name == "Dockerfile" || name == "Containerfile" || name == "dockerfile" || name == "containerfile"
}

// Load walks root and loads every Dockerfile under it.
func Load(ctx context.Context, root string, opts Options) (*model.State, error) {
	walked, err := walk.Walk(ctx, root, walk.Options{MaxFileSize: opts.MaxFileSize, Match: Match})
	if err != nil {
		return nil, err
	}
	st, err := LoadFiles(ctx, root, walked.Files, opts)
	if err != nil {
		return nil, err
	}
	st.Notes = append(walked.Notes, st.Notes...)
	st.Errors = append(walked.Errors, st.Errors...)
	return st, nil
}

// fileResult is what loading one file gives.
type fileResult struct {
	res    *model.Resource
	errs   []finding.Error
	notes  []finding.Note
	loaded bool
}

// LoadFiles parses the given files, which walk found under root (each
// carries its own absolute path). It returns an error only when ctx is
// cancelled; a file that cannot be read or parsed is an entry in
// State.Errors and contributes nothing else.
func LoadFiles(ctx context.Context, root string, files []walk.File, opts Options) (*model.State, error) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = walk.DefaultMaxFileSize
	}
	results := make([]fileResult, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			results[i] = loadFile(f, opts)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st := &model.State{}
	for i, r := range results {
		st.Errors = append(st.Errors, r.errs...)
		st.Notes = append(st.Notes, r.notes...)
		if r.loaded {
			st.Files = append(st.Files, files[i].Rel)
		}
		if r.res != nil {
			st.Resources = append(st.Resources, r.res)
		}
	}
	return st, nil
}

// loadFile reads and parses one file. A panic in the parser is turned into
// an error about that file: one odd file must not stop a scan.
func loadFile(f walk.File, opts Options) (out fileResult) {
	defer func() {
		if p := recover(); p != nil {
			out = fileResult{errs: []finding.Error{{File: f.Rel, Message: fmt.Sprintf("cannot parse Dockerfile: internal error: %v", p)}}}
		}
	}()
	info, err := os.Stat(f.Abs)
	if err != nil {
		return fileResult{errs: []finding.Error{{File: f.Rel, Message: unwrapPathError(err).Error()}}}
	}
	if info.Size() > opts.MaxFileSize {
		return fileResult{notes: []finding.Note{{File: f.Rel, Message: fmt.Sprintf("skipped: %d bytes is larger than the %d byte limit", info.Size(), opts.MaxFileSize)}}}
	}
	data, err := os.ReadFile(f.Abs)
	if err != nil {
		return fileResult{errs: []finding.Error{{File: f.Rel, Message: unwrapPathError(err).Error()}}}
	}
	if !exactName(path.Base(f.Rel)) && !looksLikeDockerfile(data) {
		return fileResult{}
	}
	res, perr := Parse(f.Rel, data)
	if perr != nil {
		return fileResult{errs: []finding.Error{*perr}, loaded: true}
	}
	if res == nil {
		return fileResult{notes: []finding.Note{{File: f.Rel, Message: "skipped: Dockerfile has no instructions"}}}
	}
	return fileResult{res: res, loaded: true}
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
