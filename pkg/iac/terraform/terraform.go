// Package terraform loads Terraform configuration and evaluates it the way
// Terraform does at plan time, without provider schemas or state: variables
// with their defaults, tfvars files and -var values, locals, local and
// downloaded modules, count and for_each, dynamic blocks and Terraform's
// function set. Values only known after apply (ids, arns, anything computed
// by a provider) stay unknown, so rules never guess.
//
// Every directory holding .tf files is a root module unless another scanned
// module calls it with a local source; such directories are evaluated only
// through their calls, with the inputs the calls give them.
package terraform

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

// Options control a load.
type Options struct {
	// Vars are -var values (name -> raw text). A value is read as an HCL
	// expression when the variable's type needs it, as Terraform does.
	Vars map[string]string
	// VarFiles are -var-file paths, relative to the current directory,
	// applied after terraform.tfvars and *.auto.tfvars, in order.
	VarFiles []string
	// Exclude holds glob patterns passed to walk.Walk.
	Exclude []string
	// MaxFileSize bounds one input file; 0 means walk.DefaultMaxFileSize.
	MaxFileSize int64
}

// IsTerraformFile reports whether a relative path is a .tf or .tf.json file.
func IsTerraformFile(rel string) bool {
	return strings.HasSuffix(rel, ".tf") || strings.HasSuffix(rel, ".tf.json")
}

// Load walks root for Terraform files and evaluates them. root may also be a
// single .tf file. The error is non-nil only when root itself cannot be
// read; everything else becomes an entry in State.Errors.
func Load(ctx context.Context, root string, opts Options) (*model.State, error) {
	res, err := walk.Walk(ctx, root, walk.Options{
		Exclude:     opts.Exclude,
		MaxFileSize: opts.MaxFileSize,
		Match:       IsTerraformFile,
	})
	if err != nil {
		return nil, err
	}
	dir := root
	if info, err := os.Stat(root); err == nil && !info.IsDir() {
		dir = filepath.Dir(root)
	}
	st, err := LoadFiles(ctx, dir, res.Files, opts)
	if err != nil {
		return nil, err
	}
	st.Notes = append(res.Notes, st.Notes...)
	sortNotes(st.Notes)
	st.Errors = append(res.Errors, st.Errors...)
	return st, nil
}

// LoadFiles evaluates the given Terraform files, found under root by a walk.
func LoadFiles(ctx context.Context, root string, files []walk.File, opts Options) (*model.State, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = walk.DefaultMaxFileSize
	}
	l := &loader{
		ctx:     ctx,
		root:    absRoot,
		opts:    opts,
		walked:  map[string][]walk.File{},
		targets: map[string][]string{},
		configs: map[string]*configEntry{},
		shared:  map[*module]bool{},
		files:   map[string]bool{},
	}
	return l.load(files)
}

// loader holds what is shared by the evaluation of all root modules of one
// load: parsed module configurations (a module may be called from several
// roots) and the list of files read. Root modules are evaluated
// concurrently, so its maps are guarded by mu.
type loader struct {
	ctx    context.Context
	root   string // absolute scan root
	opts   Options
	walked map[string][]walk.File // walked files by absolute directory

	mu      sync.Mutex
	configs map[string]*configEntry // by absolute module directory
	shared  map[*module]bool        // modules resolved by a module call
	targets map[string][]string     // local module calls of each parsed directory
	files   map[string]bool         // relative paths of files read
	errs    []finding.Error
	notes   []finding.Note
	results []*runResult
}

type configEntry struct {
	once sync.Once
	mod  *module
}

// load parses and evaluates the walked files. To keep memory flat on large
// trees, a directory is evaluated as soon as it is parsed when it is surely
// a root module, and its syntax is dropped right after; only directories
// that may be called as modules are kept until every file is parsed. Which
// those are is found by a quick textual scan for local module sources,
// which finds every real one (and perhaps a few more, which only delays
// their evaluation).
func (l *loader) load(files []walk.File) (*model.State, error) {
	var dirs []string
	for _, f := range files {
		d := l.dirOf(f)
		if _, ok := l.walked[d]; !ok {
			dirs = append(dirs, d)
		}
		l.walked[d] = append(l.walked[d], f)
	}
	sort.Strings(dirs)

	maybeCalled, err := l.scanLocalSources(files)
	if err != nil {
		return nil, err
	}

	// Parse every directory; evaluate the sure roots at once.
	g, gctx := errgroup.WithContext(l.ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, d := range dirs {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			m := l.config(d)
			if m != nil && !maybeCalled[d] {
				l.evalAndRelease(gctx, m)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	// The remaining roots: directories no scanned module calls after all,
	// and one directory of each ring of modules calling each other.
	targets := l.targets
	var rest []*module
	for _, d := range rootDirs(dirs, targets) {
		if maybeCalled[d] {
			if m := l.config(d); m != nil {
				rest = append(rest, m)
			}
		}
	}
	called := map[string]bool{}
	for d, ts := range targets {
		for _, t := range ts {
			if t != d {
				called[t] = true
			}
		}
	}
	g, gctx = errgroup.WithContext(l.ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, m := range rest {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			if called[m.dir] {
				res := l.evalRoot(gctx, m)
				l.mu.Lock()
				l.results = append(l.results, res)
				l.mu.Unlock()
			} else {
				l.evalAndRelease(gctx, m)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	st := &model.State{}
	for _, r := range l.results {
		if called[r.dir] && !maybeCalled[r.dir] {
			// Evaluated as a root, but it is a module after all: the
			// textual scan missed an unusually written source. Its
			// resources come through its callers.
			continue
		}
		root := l.rel(r.dir)
		if root == "." {
			root = ""
		}
		for _, res := range r.resources {
			res.Root = root
		}
		st.Resources = append(st.Resources, r.resources...)
		st.Errors = append(st.Errors, r.errs...)
		st.Notes = append(st.Notes, r.notes...)
	}
	st.Errors = append(st.Errors, l.errs...)
	st.Notes = append(st.Notes, l.notes...)
	for f := range l.files {
		st.Files = append(st.Files, f)
	}
	sort.Strings(st.Files)
	model.SortResources(st.Resources)
	st.Errors = dedupeErrors(st.Errors)
	st.Notes = dedupeNotes(st.Notes)
	return st, nil
}

func (l *loader) evalAndRelease(ctx context.Context, m *module) {
	res := l.evalRoot(ctx, m)
	l.mu.Lock()
	l.results = append(l.results, res)
	l.mu.Unlock()
	l.release(m)
}

// localSourcePattern finds module sources that are local paths, in native
// and JSON syntax alike.
var localSourcePattern = regexp.MustCompile(`source"?\s*[=:]\s*"(\.\.?[/\\][^"\n]*|\.\.?)"`)

// scanLocalSources returns the walked directories some file may call as a
// local module.
func (l *loader) scanLocalSources(files []walk.File) (map[string]bool, error) {
	found := make([][]string, len(files))
	g, gctx := errgroup.WithContext(l.ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			src, err := readLimited(f.Abs, l.opts.MaxFileSize)
			if err != nil || !bytes.Contains(src, []byte("source")) {
				return nil // errors are reported when the file is parsed
			}
			for _, m := range localSourcePattern.FindAllSubmatch(src, -1) {
				found[i] = append(found[i], moduleDir(l.dirOf(f), string(m[1])))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for i, dirs := range found {
		for _, d := range dirs {
			if d != l.dirOf(files[i]) && l.walked[d] != nil {
				out[d] = true
			}
		}
	}
	return out, nil
}

// dirOf is the absolute directory of a walked file.
func (l *loader) dirOf(f walk.File) string {
	return filepath.Join(l.root, filepath.Dir(filepath.FromSlash(f.Rel)))
}

// moduleDir resolves a local module source against the calling module's
// directory.
func moduleDir(from, source string) string {
	return filepath.Join(from, filepath.FromSlash(strings.ReplaceAll(source, "\\", "/")))
}

// rootDirs picks the directories evaluated as root modules: those no
// scanned module calls with a local source. Directories that call each
// other in a ring are called by someone yet reachable from no root; the
// first of each such ring is made a root, so the ring is evaluated (and its
// cycle reported) rather than silently skipped.
func rootDirs(dirs []string, targets map[string][]string) []string {
	callees := func(d string) []string {
		var out []string
		for _, t := range targets[d] {
			if _, ok := targets[t]; ok && t != d {
				out = append(out, t)
			}
		}
		return out
	}
	called := map[string]bool{}
	for _, d := range dirs {
		for _, t := range callees(d) {
			called[t] = true
		}
	}
	reached := map[string]bool{}
	var mark func(d string)
	mark = func(d string) {
		for _, t := range callees(d) {
			if !reached[t] {
				reached[t] = true
				mark(t)
			}
		}
	}
	var roots []string
	for _, d := range dirs {
		if !called[d] {
			roots = append(roots, d)
			reached[d] = true
			mark(d)
		}
	}
	for _, d := range dirs {
		if !reached[d] {
			roots = append(roots, d)
			reached[d] = true
			mark(d)
		}
	}
	return roots
}

// release drops the syntax trees of a root module once it is evaluated, so
// that a large tree never holds every file's syntax at once. A module some
// run has resolved through a module call is kept; a later call to a
// released directory parses it again.
func (l *loader) release(m *module) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shared[m] {
		return
	}
	if e := l.configs[m.dir]; e != nil && e.mod == m {
		delete(l.configs, m.dir)
	}
	for _, f := range m.files {
		f.body = nil
	}
	*m = module{dir: m.dir}
}

// rel names an absolute path relative to the scan root, with forward
// slashes; paths outside the root keep their "../" prefix.
func (l *loader) rel(abs string) string {
	r, err := filepath.Rel(l.root, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(r)
}

func (l *loader) addFile(rel string) {
	l.mu.Lock()
	l.files[rel] = true
	l.mu.Unlock()
}

func dedupeErrors(errs []finding.Error) []finding.Error {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Message < b.Message
	})
	out := errs[:0]
	for i, e := range errs {
		if i > 0 && e == errs[i-1] {
			continue
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func sortNotes(notes []finding.Note) {
	sort.SliceStable(notes, func(i, j int) bool {
		if notes[i].File != notes[j].File {
			return notes[i].File < notes[j].File
		}
		return notes[i].Message < notes[j].Message
	})
}

func dedupeNotes(notes []finding.Note) []finding.Note {
	sortNotes(notes)
	out := notes[:0]
	for i, n := range notes {
		if i > 0 && n == notes[i-1] {
			continue
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
