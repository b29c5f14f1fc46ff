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
	"context"
	"os"
	"path"
	"path/filepath"
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
		configs: map[string]*configEntry{},
		files:   map[string]bool{},
	}
	return l.load(files)
}

// loader holds what is shared by the evaluation of all root modules of one
// load: parsed module configurations (a module may be called from several
// roots) and the list of files read. Root modules are evaluated
// concurrently, so its maps are guarded by mu.
type loader struct {
	ctx  context.Context
	root string // absolute scan root
	opts Options

	mu      sync.Mutex
	configs map[string]*configEntry // by absolute module directory
	files   map[string]bool         // relative paths of files read
	errs    []finding.Error
	notes   []finding.Note
}

type configEntry struct {
	once sync.Once
	mod  *module
}

func (l *loader) load(files []walk.File) (*model.State, error) {
	parsed := make([]*file, len(files))
	g, gctx := errgroup.WithContext(l.ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			parsed[i] = l.parseFile(f.Abs, f.Rel)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	// One module per directory, in lexical directory order.
	byDir := map[string][]*file{}
	var dirs []string
	for _, f := range parsed {
		if f == nil {
			continue
		}
		d := path.Dir(f.rel)
		if _, ok := byDir[d]; !ok {
			dirs = append(dirs, d)
		}
		byDir[d] = append(byDir[d], f)
	}
	sort.Strings(dirs)
	mods := make(map[string]*module, len(dirs)) // by absolute dir
	var order []*module
	for _, d := range dirs {
		abs := filepath.Join(l.root, filepath.FromSlash(d))
		m := newModule(abs, byDir[d])
		mods[abs] = m
		order = append(order, m)
		l.mu.Lock()
		l.configs[abs] = &configEntry{mod: m}
		l.configs[abs].once.Do(func() {})
		l.mu.Unlock()
	}

	roots := rootModules(order, mods)

	results := make([]*runResult, len(roots))
	g, gctx = errgroup.WithContext(l.ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, m := range roots {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			results[i] = l.evalRoot(gctx, m)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	st := &model.State{}
	for _, f := range parsed {
		if f == nil {
			continue
		}
		l.files[f.rel] = true
		st.Errors = append(st.Errors, f.errs...)
	}
	for _, m := range order {
		st.Errors = append(st.Errors, m.errs...)
	}
	for _, r := range results {
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

// rootModules picks the directories evaluated as root modules: those no
// scanned module calls with a local source. Directories that call each
// other in a ring are called by someone yet reachable from no root; the
// first of each such ring is made a root, so the ring is evaluated (and its
// cycle reported) rather than silently skipped.
func rootModules(order []*module, mods map[string]*module) []*module {
	callees := func(m *module) []*module {
		var out []*module
		for _, c := range m.calls {
			if !isLocalSource(c.source) {
				continue
			}
			target := filepath.Join(m.dir, filepath.FromSlash(strings.ReplaceAll(c.source, "\\", "/")))
			if t := mods[target]; t != nil && t != m {
				out = append(out, t)
			}
		}
		return out
	}
	called := map[*module]bool{}
	for _, m := range order {
		for _, t := range callees(m) {
			called[t] = true
		}
	}
	reached := map[*module]bool{}
	var mark func(m *module)
	mark = func(m *module) {
		for _, t := range callees(m) {
			if !reached[t] {
				reached[t] = true
				mark(t)
			}
		}
	}
	var roots []*module
	for _, m := range order {
		if !called[m] {
			roots = append(roots, m)
			reached[m] = true
			mark(m)
		}
	}
	for _, m := range order {
		if !reached[m] {
			roots = append(roots, m)
			reached[m] = true
			mark(m)
		}
	}
	return roots
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
