package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fixity-sec/fixity/pkg/config"
	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/cloudformation"
	"github.com/fixity-sec/fixity/pkg/policy"
	"github.com/fixity-sec/fixity/pkg/report"
	"github.com/fixity-sec/fixity/pkg/scan"
	"github.com/spf13/cobra"
)

// scanOptions are the flags of `fixity scan`.
type scanOptions struct {
	output       outputOptions
	configPath   string
	excludeRules []string
	excludePaths []string
	vars         []string
	varFiles     []string
	types        []string
	cfnParams    string
	policyDir    string
	helmValues   []string
}

func newScanCommand(stdio IO, version string) *cobra.Command {
	var o scanOptions
	cmd := &cobra.Command{
		Use:   "scan [PATH]",
		Short: "Scan infrastructure code for security problems",
		Long: `Scan infrastructure code (Terraform, CloudFormation, Kubernetes manifests,
Helm charts and kustomizations, Dockerfiles) under PATH, a directory or one
file, the current directory by default, and report what would make the
deployed infrastructure insecure or mutable.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it, or
files that could not be read; 2 the scan could not run.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := "."
			if len(args) == 1 {
				root = args[0]
			}
			return runScan(cmd, stdio, version, root, &o)
		},
	}
	f := cmd.Flags()
	o.output.addFlags(cmd)
	f.StringVar(&o.configPath, "config", "", "configuration file (default: .fixity.yaml in PATH)")
	f.StringSliceVar(&o.excludeRules, "exclude-rule", nil, "suppress findings of these rule IDs (repeatable, comma-separated)")
	f.StringSliceVar(&o.excludePaths, "exclude-path", nil, "do not scan paths matching these globs, relative to PATH (repeatable)")
	f.StringSliceVar(&o.types, "type", nil, "scan only these formats: "+strings.Join(scan.FormatNames(), ", ")+" (comma-separated)")
	f.StringArrayVar(&o.vars, "var", nil, "set a Terraform input variable, as NAME=VALUE (repeatable)")
	f.StringArrayVar(&o.varFiles, "var-file", nil, "read Terraform input variables from a .tfvars file (repeatable)")
	f.StringArrayVar(&o.helmValues, "helm-values", nil, "render every Helm chart with this values file over its values.yaml (repeatable; later files win)")
	f.StringVar(&o.policyDir, "policy", "", "also run the Rego policies (deny and warn rules) in this directory or file")
	f.StringVar(&o.cfnParams, "cfn-params", "", "read CloudFormation parameter values from this file (JSON or YAML: {\"Name\": \"value\"}, or the AWS CLI's ParameterKey/ParameterValue list)")
	return cmd
}

func runScan(cmd *cobra.Command, stdio IO, version, root string, o *scanOptions) error {
	var cfg *config.Config
	var err error
	if o.configPath != "" {
		cfg, err = config.Load(o.configPath)
	} else {
		cfg, err = config.Find(root)
	}
	if err != nil {
		return fail(err)
	}
	threshold, err := o.output.threshold(cmd, cfg.FailOn)
	if err != nil {
		return fail(err)
	}
	if err := o.output.validate(); err != nil {
		return fail(err)
	}
	vars, err := parseVars(o.vars)
	if err != nil {
		return fail(err)
	}
	// A values file that is not there is a mistyped flag: say so before
	// scanning, as for --cfn-params, rather than scan without it.
	if err := inputFiles("--var-file", o.varFiles); err != nil {
		return fail(err)
	}
	if err := inputFiles("--helm-values", o.helmValues); err != nil {
		return fail(err)
	}
	cfg.ExcludePaths = append(cfg.ExcludePaths, o.excludePaths...)

	opts := scan.Options{
		Root:         root,
		Config:       cfg,
		ExcludeRules: o.excludeRules,
		Types:        o.types,
		Version:      version,
	}
	opts.Terraform.Vars = vars
	opts.Terraform.VarFiles = o.varFiles
	opts.Kubernetes.HelmValues = o.helmValues
	if o.cfnParams != "" {
		params, err := cloudformation.ReadParams(o.cfnParams)
		if err != nil {
			return fail(fmt.Errorf("--cfn-params: %w", err))
		}
		opts.CloudFormation.Params = params
	}
	if o.policyDir != "" {
		// A broken policy is a broken scan: fail before reading anything.
		set, err := policy.Load(cmd.Context(), o.policyDir)
		if err != nil {
			return fail(fmt.Errorf("--policy: %w", err))
		}
		opts.Policies = set
	}

	prog := o.output.progress(stdio)
	if prog != nil {
		opts.Progress = prog
	}
	rep, err := scan.Run(cmd.Context(), opts)
	if prog != nil {
		prog.Clear()
	}
	if err != nil {
		return fail(err)
	}
	o.output.sourcePrefix = sourcePrefix(root)
	if err := o.output.write(stdio, rep); err != nil {
		return fail(err)
	}
	return gate(rep, threshold)
}

// gate turns a finished report into the exit code.
func gate(rep *finding.Report, threshold finding.Severity) error {
	if nothingScanned(rep) {
		return &exitError{code: ExitError, err: fmt.Errorf("no file under %s could be read (%s)", rep.Target, plural(len(rep.Errors), "error"))}
	}
	if rep.Fails(threshold) || len(rep.Errors) > 0 {
		return &exitError{code: ExitFindings}
	}
	return nil
}

// nothingScanned is true when every file the scan found failed to load.
// A file with an error that still yielded resources was read: its findings
// are in the report, so the scan ran.
func nothingScanned(rep *finding.Report) bool {
	if len(rep.Errors) == 0 || rep.Summary.Resources > 0 {
		return false
	}
	broken := map[string]bool{}
	for _, e := range rep.Errors {
		broken[e.File] = true
	}
	return len(broken) >= rep.Summary.Files
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// inputFiles checks that the files a flag names are regular files.
func inputFiles(flag string, paths []string) error {
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("%s %s: %w", flag, p, unwrapPathError(err))
		}
		if info.IsDir() {
			return fmt.Errorf("%s %s: is a directory", flag, p)
		}
	}
	return nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func parseVars(kvs []string) (map[string]string, error) {
	if len(kvs) == 0 {
		return nil, nil
	}
	vars := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("--var %q: want NAME=VALUE", kv)
		}
		vars[strings.TrimSpace(k)] = v
	}
	return vars, nil
}

// outputOptions are the flags every reporting verb shares.
type outputOptions struct {
	format string
	path   string
	failOn string
	quiet  bool
	// sourcePrefix is where the scanned files are, seen from the working
	// directory (see report.Options.SourcePrefix).
	sourcePrefix string
	noColor      bool
	verbose      bool
}

func (o *outputOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVarP(&o.format, "format", "f", "table", "report format: "+strings.Join(report.Formats(), ", "))
	f.StringVarP(&o.path, "output", "o", "", "write the report to this file instead of standard output")
	f.StringVar(&o.failOn, "fail-on", "HIGH", "exit 1 when a finding is at or above this severity: LOW, MEDIUM, HIGH or CRITICAL")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "show no progress")
	f.BoolVar(&o.noColor, "no-color", false, "never use colours")
	f.BoolVarP(&o.verbose, "verbose", "v", false, "table: show how to fix each finding, its references, and suppressed findings")
}

func (o *outputOptions) validate() error {
	for _, f := range report.Formats() {
		if f == o.format {
			return nil
		}
	}
	return fmt.Errorf("--format %q: want one of %s", o.format, strings.Join(report.Formats(), ", "))
}

// threshold is --fail-on when given, else the configuration's, else HIGH.
func (o *outputOptions) threshold(cmd *cobra.Command, configured string) (finding.Severity, error) {
	v := o.failOn
	if !cmd.Flags().Changed("fail-on") && configured != "" {
		v = configured
	}
	s, err := finding.ParseSeverity(v)
	if err != nil {
		return finding.Unknown, fmt.Errorf("--fail-on: %w", err)
	}
	return s, nil
}

// sourcePrefix is the directory finding paths are relative to, as a path
// from the working directory, when it lies under it: CI runs fixity from
// the repository root, which is where SARIF consumers resolve paths from.
// Empty for the working directory itself or a directory outside it.
func sourcePrefix(root string) string {
	cwd, err := os.Getwd()
	if err != nil {
		return ""
	}
	dir, err := filepath.Abs(scan.BaseDir(root))
	if err != nil {
		return ""
	}
	rel, err := filepath.Rel(cwd, dir)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(rel)
}

// progress returns a progress display when standard error is a terminal
// and --quiet is off; nil otherwise.
func (o *outputOptions) progress(stdio IO) *progress {
	if o.quiet || !stdio.IsTerminal(stdio.Err) {
		return nil
	}
	return newProgress(stdio.Err)
}

func (o *outputOptions) write(stdio IO, rep *finding.Report) error {
	var w io.Writer = stdio.Out
	color := false
	if o.path != "" {
		f, err := os.Create(o.path)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	} else {
		color = !o.noColor && os.Getenv("NO_COLOR") == "" && stdio.IsTerminal(stdio.Out)
	}
	ropts := report.Options{Color: color, Verbose: o.verbose, SourcePrefix: o.sourcePrefix}
	if err := report.Write(w, rep, o.format, ropts); err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && o.path != "" {
		return f.Close()
	}
	return nil
}
