package scan

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/fixity-sec/fixity/pkg/config"
	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/cloudformation"
	"github.com/fixity-sec/fixity/pkg/iac/dockerfile"
	"github.com/fixity-sec/fixity/pkg/iac/kubernetes"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/terraform"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

// format is one input language: which files it reads and how it loads them
// into the model. The list is built in one place, formats(), so what a scan
// reads is plain to see.
type format struct {
	name  string
	match func(rel string) bool
	load  func(ctx context.Context, root string, files []walk.File, opts Options) (*model.State, error)
}

func formats() []format {
	return []format{
		{
			name:  "terraform",
			match: terraform.IsTerraformFile,
			load: func(ctx context.Context, root string, files []walk.File, opts Options) (*model.State, error) {
				tf := opts.Terraform
				tf.Exclude = opts.config().ExcludePaths
				tf.MaxFileSize = opts.MaxFileSize
				return terraform.LoadFiles(ctx, root, files, tf)
			},
		},
		{
			name:  "cloudformation",
			match: cloudformation.Match,
			load: func(ctx context.Context, root string, files []walk.File, opts Options) (*model.State, error) {
				return cloudformation.LoadFiles(ctx, root, files, opts.CloudFormation)
			},
		},
		{
			name:  "dockerfile",
			match: dockerfile.Match,
			load: func(ctx context.Context, root string, files []walk.File, opts Options) (*model.State, error) {
				return dockerfile.LoadFiles(ctx, root, files, dockerfile.Options{MaxFileSize: opts.MaxFileSize})
			},
		},
		{
			name:  "kubernetes",
			match: kubernetes.Match,
			load: func(ctx context.Context, root string, files []walk.File, opts Options) (*model.State, error) {
				return kubernetes.LoadFiles(ctx, root, files, opts.Kubernetes)
			},
		},
	}
}

// FormatNames lists the input formats, for --type.
func FormatNames() []string {
	var out []string
	for _, f := range formats() {
		out = append(out, f.name)
	}
	return out
}

func (o Options) config() *config.Config {
	if o.Config == nil {
		return &config.Config{}
	}
	return o.Config
}

// selected returns the formats opts.Types asks for; all of them when empty.
func (o Options) selected() ([]format, error) {
	all := formats()
	if len(o.Types) == 0 {
		return all, nil
	}
	var out []format
	for _, t := range o.Types {
		i := slices.IndexFunc(all, func(f format) bool { return f.name == strings.ToLower(strings.TrimSpace(t)) })
		if i < 0 {
			return nil, fmt.Errorf("unknown type %q (want %s)", t, strings.Join(FormatNames(), ", "))
		}
		out = append(out, all[i])
	}
	return out, nil
}

// Load walks opts.Root once and evaluates every file some format reads into
// one State, without running rules.
func Load(ctx context.Context, opts Options) (*model.State, error) {
	if _, err := os.Stat(opts.Root); err != nil {
		return nil, fmt.Errorf("cannot scan %s: %w", opts.Root, unwrapPathError(err))
	}
	progress := opts.progress()
	fs, err := opts.selected()
	if err != nil {
		return nil, err
	}
	progress.Step("finding files", 0)
	walked, err := walk.Walk(ctx, opts.Root, walk.Options{
		Exclude:     opts.config().ExcludePaths,
		MaxFileSize: opts.MaxFileSize,
		Match: func(rel string) bool {
			return slices.ContainsFunc(fs, func(f format) bool { return f.match(rel) })
		},
	})
	if err != nil {
		return nil, fmt.Errorf("cannot scan %s: %w", opts.Root, unwrapPathError(err))
	}
	state := &model.State{Notes: walked.Notes, Errors: walked.Errors}
	if len(walked.Files) == 0 {
		if len(walked.Errors) == 0 {
			state.Notes = append(state.Notes, finding.Note{Message: "no infrastructure code found"})
		}
		return state, nil
	}
	for _, f := range fs {
		var files []walk.File
		for _, file := range walked.Files {
			if f.match(file.Rel) {
				files = append(files, file)
			}
		}
		if len(files) == 0 {
			continue
		}
		progress.Step("loading "+f.name, len(files))
		st, err := f.load(ctx, opts.Root, files, opts)
		if err != nil {
			return nil, err
		}
		progress.Advance(len(files))
		merge(state, st)
	}
	state.Isolate()
	// A YAML file is offered to every YAML format: count it once.
	slices.Sort(state.Files)
	state.Files = slices.Compact(state.Files)
	return state, nil
}

// merge adds src's contents to dst.
func merge(dst, src *model.State) {
	dst.Resources = append(dst.Resources, src.Resources...)
	dst.Files = append(dst.Files, src.Files...)
	dst.Errors = append(dst.Errors, src.Errors...)
	dst.Notes = append(dst.Notes, src.Notes...)
}

func (o Options) progress() Progress {
	if o.Progress == nil {
		return noProgress{}
	}
	return o.Progress
}
