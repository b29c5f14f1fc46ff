package policy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
	"golang.org/x/sync/errgroup"
)

// The rules fixity queries in every package: conftest's and Trivy's names.
const (
	kindDeny = "deny"
	kindWarn = "warn"
)

// Set is a compiled collection of policies, ready to evaluate against any
// number of states. It is safe for concurrent use.
type Set struct {
	queries []*query
}

// query is one deny or warn rule of one package.
type query struct {
	rule finding.Rule
	// pkg is the package path without "data.", e.g. "fixity.aws.tags".
	pkg  string
	kind string
	// at is where the rule is first defined: findings that name no
	// resource point here.
	at       model.Range
	prepared rego.PreparedEvalQuery
}

// Result is one message of a deny or warn rule.
type Result struct {
	Rule finding.Rule
	// Resource is the resource the policy named, or nil.
	Resource *model.Resource
	// Range is the named resource's range, or the policy rule's when the
	// policy named no resource (or one the state does not hold).
	Range   model.Range
	Message string
}

// Load reads every .rego file under dir (recursively; dir may also be a
// single file) and compiles them together, so packages may import each
// other. A policy that does not parse or compile is an error naming its
// file and line. Directories whose names start with a dot are skipped.
func Load(ctx context.Context, dir string) (*Set, error) {
	paths, err := regoFiles(ctx, dir)
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no .rego files", dir)
	}
	modules := make(map[string]*ast.Module, len(paths))
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		name := filepath.ToSlash(p)
		m, err := parseModule(name, string(src))
		if err != nil {
			return nil, describe(err)
		}
		modules[name] = m
	}

	compiler := ast.NewCompiler()
	compiler.Compile(modules)
	if compiler.Failed() {
		return nil, describe(compiler.Errors)
	}

	s := &Set{}
	for _, pkg := range packages(compiler, paths) {
		meta, err := regoMetadata(ctx, compiler, pkg)
		if err != nil {
			return nil, err
		}
		for _, kind := range []string{kindDeny, kindWarn} {
			if pkg.first[kind] == nil {
				continue
			}
			q, err := newQuery(ctx, compiler, pkg, kind, meta)
			if err != nil {
				return nil, err
			}
			s.queries = append(s.queries, q)
		}
	}
	return s, nil
}

// regoFiles lists the .rego files under dir in lexical order.
func regoFiles(ctx context.Context, dir string) ([]string, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read policies: %w", err)
	}
	if !info.IsDir() {
		return []string{dir}, nil
	}
	var out []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".rego") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot read policies: %w", err)
	}
	return out, nil
}

// parseModule parses Rego v1, the current syntax, and falls back to v0
// (`deny[msg] { ... }`), which most published conftest and Trivy policies
// still use. When both fail, the error of the parser that got further is the
// one that describes the file's real mistake.
func parseModule(name, src string) (*ast.Module, error) {
	opts := ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1}
	m, err := ast.ParseModuleWithOpts(name, src, opts)
	if err == nil {
		return nil2empty(name, m)
	}
	opts.RegoVersion = ast.RegoV0
	m0, err0 := ast.ParseModuleWithOpts(name, src, opts)
	if err0 == nil {
		return nil2empty(name, m0)
	}
	if firstRow(err0) > firstRow(err) {
		return nil, err0
	}
	return nil, err
}

// nil2empty turns the nil module of a file without statements into an error:
// a policy file must at least declare its package.
func nil2empty(name string, m *ast.Module) (*ast.Module, error) {
	if m == nil {
		return nil, fmt.Errorf("%s: empty policy file: want a package declaration", name)
	}
	return m, nil
}

func firstRow(err error) int {
	var errs ast.Errors
	if errors.As(err, &errs) && len(errs) > 0 && errs[0].Location != nil {
		return errs[0].Location.Row
	}
	return 0
}

// describe rewrites OPA's errors as "file:line: message" with the first
// error first, which is the shape every fixity error has.
func describe(err error) error {
	var errs ast.Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		return err
	}
	sorted := append(ast.Errors(nil), errs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].Location, sorted[j].Location
		if a == nil || b == nil {
			return b == nil && a != nil
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Row < b.Row
	})
	msg := errorLine(sorted[0].Location, sorted[0].Code, sorted[0].Message)
	// Further errors on the same line are usually the parser losing its
	// way after the first: name only those elsewhere.
	var more []string
	for _, e := range sorted[1:] {
		if e.Location == nil || sorted[0].Location == nil || e.Location.File != sorted[0].Location.File || e.Location.Row != sorted[0].Location.Row {
			more = append(more, errorLine(e.Location, e.Code, e.Message))
		}
	}
	if len(more) > 0 {
		msg += fmt.Sprintf(" (and %d more: %s)", len(more), strings.Join(more, "; "))
	}
	return errors.New(msg)
}

func errorLine(loc *ast.Location, code, msg string) string {
	if loc == nil || loc.File == "" {
		return fmt.Sprintf("%s: %s", code, msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", loc.File, loc.Row, code, msg)
}

// pkgInfo is one package that defines deny or warn.
type pkgInfo struct {
	ref  ast.Ref // data.fixity.aws.tags
	path string  // fixity.aws.tags
	// first holds the first definition of each kind, in file order.
	first map[string]*ast.Rule
	// meta is the first __rego_metadata__ definition, if any.
	meta *ast.Rule
	// kinds counts the kinds the package defines.
	kinds int
}

// packages returns the packages that define deny or warn, in the order of
// the files that first declare them.
func packages(c *ast.Compiler, files []string) []*pkgInfo {
	byPath := map[string]*pkgInfo{}
	var order []*pkgInfo
	for _, f := range files {
		m := c.Modules[filepath.ToSlash(f)]
		if m == nil {
			continue
		}
		path := strings.TrimPrefix(m.Package.Path.String(), "data.")
		for _, r := range m.Rules {
			// deny, deny[msg] and deny contains msg have the one-term
			// reference deny; a partial object rule, deny[key] := msg,
			// has two terms.
			ref := r.Head.Ref()
			name := ref[0].Value.String()
			if len(ref) > 1 && name == "__rego_metadata__" {
				continue
			}
			if name != kindDeny && name != kindWarn && name != "__rego_metadata__" {
				continue
			}
			p := byPath[path]
			if p == nil {
				p = &pkgInfo{ref: m.Package.Path, path: path, first: map[string]*ast.Rule{}}
				byPath[path] = p
				order = append(order, p)
			}
			if name == "__rego_metadata__" {
				if p.meta == nil {
					p.meta = r
				}
				continue
			}
			if p.first[name] == nil {
				p.first[name] = r
				p.kinds++
			}
		}
	}
	out := order[:0]
	for _, p := range order {
		if p.kinds > 0 {
			out = append(out, p)
		}
	}
	return out
}

func newQuery(ctx context.Context, c *ast.Compiler, pkg *pkgInfo, kind string, pkgMeta metadata) (*query, error) {
	r := pkg.first[kind]
	at := ruleRange(r)
	ruleMeta, pkgAnnot := annotations(c, r)
	pkgWide := pkgMeta.or(pkgAnnot)
	// A package's own id and severity describe its deny rule; its warn rule
	// shares them only when the package does not also deny.
	if kind == kindWarn && pkg.first[kindDeny] != nil {
		if pkgWide.id != "" {
			pkgWide.id += ".warn"
		}
		pkgWide.severity = ""
	}
	// The closest metadata wins: METADATA on the rule itself, then
	// __rego_metadata__, then METADATA on the package.
	m := ruleMeta.or(pkgWide)
	rule := finding.Rule{
		ID:          m.id,
		Title:       m.title,
		Description: m.description,
		Remediation: m.remediation,
		References:  m.references,
	}
	if rule.ID == "" {
		rule.ID = pkg.path + "." + kind
	}
	if rule.Title == "" {
		rule.Title = fmt.Sprintf("Policy %s (%s)", pkg.path, kind)
	}
	rule.Severity = finding.High
	if kind == kindWarn {
		rule.Severity = finding.Low
	}
	if m.severity != "" {
		s, err := finding.ParseSeverity(m.severity)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", where(m.severityAt), pkg.path, err)
		}
		rule.Severity = s
	}

	target := pkg.ref.Append(ast.StringTerm(kind))
	prepared, err := rego.New(
		rego.Compiler(c),
		rego.ParsedQuery(ast.NewBody(ast.NewExpr(ast.NewTerm(target)))),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", where(at), describe(err))
	}
	return &query{rule: rule, pkg: pkg.path, kind: kind, at: at, prepared: prepared}, nil
}

// ruleRange is the span of a rule's source.
func ruleRange(r *ast.Rule) model.Range {
	loc := r.Location
	if loc == nil {
		return model.Range{}
	}
	end := loc.Row + strings.Count(string(loc.Text), "\n")
	return model.Range{File: loc.File, StartLine: loc.Row, EndLine: end}
}

// where is "file:line", the way errors name a place.
func where(r model.Range) string {
	return fmt.Sprintf("%s:%d", r.File, r.StartLine)
}

// Rules returns the metadata of every deny and warn rule, in load order.
func (s *Set) Rules() []finding.Rule {
	out := make([]finding.Rule, len(s.queries))
	for i, q := range s.queries {
		out[i] = q.rule
	}
	return out
}

// Eval runs every policy against st. The input document is built once and
// shared by all policies. A policy that fails at run time (a complete rule
// with conflicting values, a call to a function that errs in strict mode)
// is an error naming its file and line.
func (s *Set) Eval(ctx context.Context, st *model.State) ([]Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(s.queries) == 0 {
		return nil, nil
	}
	input := inputValue(st)
	values := make([]any, len(s.queries))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, q := range s.queries {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			rs, err := q.prepared.Eval(gctx, rego.EvalParsedInput(input))
			if err != nil {
				return q.runtimeError(err)
			}
			if len(rs) > 0 && len(rs[0].Expressions) > 0 {
				values[i] = rs[0].Expressions[0].Value
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	idx := newResourceIndex(st)
	var out []Result
	for i, q := range s.queries {
		rs, err := q.results(values[i], idx)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// runtimeError names the policy line that failed; evaluation errors carry
// it already, others get the rule's.
func (q *query) runtimeError(err error) error {
	var te *topdown.Error
	if errors.As(err, &te) && te.Location != nil && te.Location.File != "" {
		return errors.New(errorLine(te.Location, te.Code, te.Message))
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("%s: %s.%s: %w", where(q.at), q.pkg, q.kind, err)
}
