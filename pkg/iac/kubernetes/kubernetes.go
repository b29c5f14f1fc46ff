// Package kubernetes loads Kubernetes objects into the model: plain
// manifests (YAML, multi-document, JSON, Lists), Helm charts rendered the
// way `helm template` would, and kustomizations built the way `kustomize
// build` would. Rendering happens locally: no cluster, no network.
//
// Each object becomes one resource whose Type is its kind and whose Body is
// the object itself: a mapping is a block, a sequence of mappings is one
// block per element, anything else an attribute. Objects that were rendered
// point back at the file a person edits: the chart template, or the file a
// kustomization took the object from.
package kubernetes

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
	"golang.org/x/sync/errgroup"
)

// Options configure a load.
type Options struct {
	// HelmValues are extra values files for every chart scanned, applied
	// over the chart's values.yaml in order, later files winning, like
	// `helm template -f a.yaml -f b.yaml`.
	HelmValues []string
}

// Match reports whether a walked file (path relative to the scan root,
// forward slashes) may be Kubernetes: YAML and JSON files, kustomization
// files, and everything under a templates/ directory so that a chart's
// templates and helpers reach the loader whole.
func Match(rel string) bool {
	switch strings.ToLower(path.Ext(rel)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	if path.Base(rel) == "Kustomization" {
		return true
	}
	return strings.HasPrefix(rel, "templates/") || strings.Contains(rel, "/templates/")
}

// LoadFiles loads the walked files under root. Files under a chart
// directory (one holding Chart.yaml) are read only through the chart, and
// files a kustomization uses only through the kustomization, so an object
// is never reported twice. It returns an error only when ctx is cancelled or
// root cannot be resolved; everything else is an entry in State.Errors.
func LoadFiles(ctx context.Context, root string, files []walk.File, opts Options) (*model.State, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if info, err := os.Stat(absRoot); err == nil && !info.IsDir() {
		// A single file was scanned: paths are relative to its directory.
		absRoot = filepath.Dir(absRoot)
	}
	l := &loader{root: absRoot, files: files}
	return l.load(ctx, opts)
}

type loader struct {
	root  string // absolute
	files []walk.File
}

// part is what one unit of work (a manifest, a chart, a kustomization)
// contributes to the state.
type part struct {
	resources []*model.Resource
	errors    []finding.Error
	notes     []finding.Note
	files     []string
}

func (l *loader) load(ctx context.Context, opts Options) (*model.State, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	state := &model.State{}
	values, verrs := readHelmValues(opts.HelmValues)
	state.Errors = append(state.Errors, verrs...)

	charts := chartDirs(l.files)
	kusts, kparts := l.kustomizations(charts)
	owned := ownedFiles(kusts)

	var units []func() part
	for _, f := range l.files {
		if !isManifest(f.Rel) || inDirs(f.Rel, charts) || owned[f.Rel] || isKustomizationFile(f.Rel) {
			continue
		}
		units = append(units, func() part { return l.loadFile(f) })
	}
	for _, dir := range charts {
		units = append(units, func() part { return l.loadChart(dir, values) })
	}
	for _, k := range kustomizeRoots(kusts) {
		units = append(units, func() part { return l.build(k, kusts) })
	}

	parts := make([]part, len(units))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, u := range units {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			parts[i] = safely(u)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, p := range append(kparts, parts...) {
		state.Resources = append(state.Resources, p.resources...)
		state.Errors = append(state.Errors, p.errors...)
		state.Notes = append(state.Notes, p.notes...)
		state.Files = append(state.Files, p.files...)
	}
	model.SortResources(state.Resources)
	sort.SliceStable(state.Errors, func(i, j int) bool {
		a, b := state.Errors[i], state.Errors[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	slices.Sort(state.Files)
	state.Files = slices.Compact(state.Files)
	return state, nil
}

// safely runs one unit; a panic in a parser or renderer on hostile input
// becomes an error entry instead of ending the scan.
func safely(u func() part) (p part) {
	defer func() {
		if r := recover(); r != nil {
			p = part{errors: []finding.Error{{Message: fmt.Sprintf("internal error while loading Kubernetes objects: %v", r)}}}
		}
	}()
	return u()
}

func (l *loader) loadFile(f walk.File) part {
	src, err := os.ReadFile(f.Abs)
	if err != nil {
		return part{errors: []finding.Error{{File: f.Rel, Message: err.Error()}}}
	}
	var p part
	var ok bool
	func() {
		defer func() {
			if r := recover(); r != nil {
				p = part{errors: []finding.Error{errorf(f.Rel, 1, "internal error while parsing: %v", r)}}
				ok = true
			}
		}()
		p.resources, p.errors, ok = loadManifest(f.Rel, src)
	}()
	if ok {
		p.files = []string{f.Rel}
	}
	return p
}

func isManifest(rel string) bool {
	switch strings.ToLower(path.Ext(rel)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// inDirs reports whether rel is inside one of dirs ("" is the root).
func inDirs(rel string, dirs []string) bool {
	for _, d := range dirs {
		if d == "" || strings.HasPrefix(rel, d+"/") {
			return true
		}
	}
	return false
}

// chartDirs returns the directories holding a Chart.yaml that are not
// inside another chart: a chart inside a chart is a subchart (under
// charts/) or part of the outer chart's files, rendered with it if at all.
func chartDirs(files []walk.File) []string {
	var dirs []string
	for _, f := range files {
		if path.Base(f.Rel) == "Chart.yaml" {
			dirs = append(dirs, relDir(f.Rel))
		}
	}
	sort.Slice(dirs, func(i, j int) bool { return len(dirs[i]) < len(dirs[j]) })
	var out []string
	for _, d := range dirs {
		if !slices.ContainsFunc(out, func(o string) bool { return o == "" || strings.HasPrefix(d, o+"/") }) {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}

// relDir is the directory of a relative path, "" for the root.
func relDir(rel string) string {
	d := path.Dir(rel)
	if d == "." {
		return ""
	}
	return d
}

// relJoin joins a relative directory and a path, cleaned; the result
// starts with "../" when it leaves the scan root.
func relJoin(dir, p string) string {
	return path.Clean(path.Join(dir, p))
}
