// Package scan runs fixity's static analysis of infrastructure code: it finds
// the files under a root, evaluates them into the normalized model, runs the
// rules, applies suppressions and configuration, and returns a Report.
package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/fixity-sec/fixity/pkg/config"
	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/cloudformation"
	"github.com/fixity-sec/fixity/pkg/iac/kubernetes"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/terraform"
	"github.com/fixity-sec/fixity/pkg/policy"
	"github.com/fixity-sec/fixity/pkg/rules"
	"golang.org/x/sync/errgroup"
)

// Options configure one scan.
type Options struct {
	// Root is the directory or file to scan.
	Root string
	// Config holds the repository's settings (.fixity.yaml); nil means none.
	Config *config.Config
	// ExcludeRules suppresses these rule IDs, beside Config.ExcludeRules.
	ExcludeRules []string
	// Types limits the scan to these formats (FormatNames); empty means all.
	Types []string
	// Terraform carries --var and --var-file.
	Terraform terraform.Options
	// CloudFormation carries --cfn-params.
	CloudFormation cloudformation.Options
	// Kubernetes carries --helm-values.
	Kubernetes kubernetes.Options
	// Rules to run; nil runs rules.All().
	Rules []*rules.Rule
	// Policies are the user's Rego policies (--policy), run after the
	// rules; nil runs none.
	Policies *policy.Set
	// MaxFileSize is the largest file read; 0 means walk.DefaultMaxFileSize.
	MaxFileSize int64
	// Version is written into the report.
	Version string
	// Progress, when set, hears about long steps.
	Progress Progress
	// Now is the clock for suppression expiry; nil means time.Now.
	Now func() time.Time
}

// Progress is told what a scan is doing, for a progress display.
type Progress interface {
	Step(name string, total int)
	Advance(n int)
}

type noProgress struct{}

func (noProgress) Step(string, int) {}
func (noProgress) Advance(int)      {}

// Run scans opts.Root. It returns an error only when the scan cannot start
// (the root does not exist); unreadable files are Errors in the report.
func Run(ctx context.Context, opts Options) (*finding.Report, error) {
	state, err := Load(ctx, opts)
	if err != nil {
		return nil, err
	}
	cfg := opts.config()
	progress := opts.progress()
	ruleSet := opts.Rules
	if ruleSet == nil {
		ruleSet = rules.All()
	}

	progress.Step("checking rules", len(ruleSet))
	report := &finding.Report{
		Schema: finding.Schema,
		Tool:   finding.Tool{Name: "fixity", Version: opts.Version},
		Target: opts.Root,
		Errors: state.Errors,
		Notes:  state.Notes,
	}
	report.Summary.Files = len(state.Files)
	report.Summary.Resources = countManaged(state)
	results, err := runRules(ctx, ruleSet, state, progress)
	if err != nil {
		return nil, err
	}
	for i, r := range ruleSet {
		report.Rules = append(report.Rules, r.Meta())
		report.Checks = append(report.Checks, checks(r, state)...)
		for _, res := range results[i] {
			report.Findings = append(report.Findings, toFinding(r, res))
		}
	}
	if err := runPolicies(ctx, opts.Policies, state, report); err != nil {
		return nil, err
	}

	applyOverrides(report, cfg.SeverityOverrides)
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	excluded := append(append([]string(nil), cfg.ExcludeRules...), opts.ExcludeRules...)
	suppress(report, BaseDir(opts.Root), resourcesByAddress(state), excluded, now())
	sortFindings(report.Findings)
	report.Tally()
	return report, nil
}

// runRules runs the rules concurrently; they only read the state. Results
// come back in rule order, so reports do not depend on scheduling.
func runRules(ctx context.Context, ruleSet []*rules.Rule, state *model.State, progress Progress) ([][]rules.Result, error) {
	results := make([][]rules.Result, len(ruleSet))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, r := range ruleSet {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			results[i] = r.Check(state)
			progress.Advance(1)
			return nil
		})
	}
	return results, g.Wait()
}

func countManaged(s *model.State) int {
	n := 0
	for _, r := range s.Resources {
		if r.Mode == model.Managed {
			n++
		}
	}
	return n
}

// checks lists the resources a rule looks at, so that reports can show
// what passed as well as what failed.
func checks(r *rules.Rule, s *model.State) []finding.Check {
	var out []finding.Check
	for _, res := range s.Resources {
		for _, t := range r.ResourceTypes {
			if res.Type == t {
				out = append(out, finding.Check{RuleID: r.ID, Resource: res.Address(), File: res.Range.File, Line: res.Range.StartLine})
				break
			}
		}
	}
	return out
}

func toFinding(r *rules.Rule, res rules.Result) finding.Finding {
	f := finding.Finding{
		RuleID:      r.ID,
		Severity:    r.Severity,
		Title:       r.Title,
		Message:     res.Message,
		File:        res.Range.File,
		Line:        res.Range.StartLine,
		EndLine:     res.Range.EndLine,
		Remediation: r.Remediation,
		References:  r.References,
	}
	f.EndLine = max(f.EndLine, f.Line)
	if res.Resource != nil {
		f.Resource = res.Resource.Address()
	}
	return f
}

// runPolicies evaluates the user's policies and adds their findings and
// rules to the report. A policy that fails at run time stops the scan: its
// error names the policy file and line.
func runPolicies(ctx context.Context, set *policy.Set, state *model.State, report *finding.Report) error {
	if set == nil {
		return nil
	}
	results, err := set.Eval(ctx, state)
	if err != nil {
		return fmt.Errorf("policy: %w", err)
	}
	known := map[string]bool{}
	for _, r := range set.Rules() {
		report.Rules = append(report.Rules, r)
		known[r.ID] = true
	}
	for _, res := range results {
		// A result may carry its own id: SARIF needs every id listed.
		if !known[res.Rule.ID] {
			report.Rules = append(report.Rules, res.Rule)
			known[res.Rule.ID] = true
		}
		f := finding.Finding{
			RuleID:      res.Rule.ID,
			Severity:    res.Rule.Severity,
			Title:       res.Rule.Title,
			Message:     res.Message,
			File:        res.Range.File,
			Line:        res.Range.StartLine,
			EndLine:     max(res.Range.EndLine, res.Range.StartLine),
			Remediation: res.Rule.Remediation,
			References:  res.Rule.References,
		}
		if res.Resource != nil {
			f.Resource = res.Resource.Address()
		}
		report.Findings = append(report.Findings, f)
	}
	return nil
}

func applyOverrides(r *finding.Report, overrides map[string]finding.Severity) {
	if len(overrides) == 0 {
		return
	}
	for i := range r.Findings {
		if s, ok := overrides[r.Findings[i].RuleID]; ok {
			r.Findings[i].Severity = s
		}
	}
	for i := range r.Rules {
		if s, ok := overrides[r.Rules[i].ID]; ok {
			r.Rules[i].Severity = s
		}
	}
}

func sortFindings(fs []finding.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Resource < b.Resource
	})
}

// BaseDir is the directory finding paths are relative to: root, or the
// directory of root when root is a single file.
func BaseDir(root string) string {
	if info, err := os.Stat(root); err == nil && !info.IsDir() {
		return filepath.Dir(root)
	}
	return root
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// suppress marks findings silenced by configuration or by ignore comments.
func suppress(r *finding.Report, dir string, resources map[string]*model.Resource, excluded []string, now time.Time) {
	excludedSet := map[string]bool{}
	for _, id := range excluded {
		excludedSet[strings.ToUpper(id)] = true
	}
	files := map[string]map[int]suppression{}
	for i := range r.Findings {
		f := &r.Findings[i]
		if excludedSet[strings.ToUpper(f.RuleID)] {
			f.Suppressed, f.SuppressionReason = true, "rule excluded by configuration"
			continue
		}
		sups, ok := files[f.File]
		if !ok {
			src, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.File)))
			if err == nil {
				sups = parseSuppressions(src)
			}
			files[f.File] = sups
		}
		if len(sups) == 0 {
			continue
		}
		lines := []int{f.Line, f.Line - 1}
		if res, ok := resources[f.Resource]; ok && res.Range.File == f.File {
			lines = append(lines, res.Range.StartLine, res.Range.StartLine-1)
			for _, l := range enclosingAttributes(res.Body, f.File, f.Line) {
				lines = append(lines, l, l-1)
			}
		}
		for _, l := range lines {
			if s, ok := sups[l]; ok && s.covers(f.RuleID, now) {
				f.Suppressed = true
				f.SuppressionReason = s.reason
				if f.SuppressionReason == "" {
					f.SuppressionReason = "suppressed inline"
				}
				break
			}
		}
	}
}

// resourcesByAddress maps resource addresses to their resources, so an
// ignore comment on a resource covers findings on its attributes.
func resourcesByAddress(s *model.State) map[string]*model.Resource {
	out := make(map[string]*model.Resource, len(s.Resources))
	for _, r := range s.Resources {
		out[r.Address()] = r
	}
	return out
}

// enclosingAttributes lists the first lines of the attributes of b (and
// its nested blocks) in file that contain line without starting on it: a
// finding on one key of a map sits inside the map's attribute, and an
// ignore comment on the attribute covers it, as it did before findings
// pointed at the key.
func enclosingAttributes(b *model.Block, file string, line int) []int {
	if b == nil {
		return nil
	}
	var out []int
	for _, a := range b.Attrs {
		if r := a.Range; r.File == file && r.StartLine < line && line <= r.EndLine {
			out = append(out, r.StartLine)
		}
	}
	for _, c := range b.Blocks {
		out = append(out, enclosingAttributes(c, file, line)...)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out))) // innermost first, in a stable order
	return out
}
