package corpusgen

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
)

// The formats of a mixed corpus, by the name the model gives them
// (model.Resource.Format).
const (
	Terraform      = "terraform"
	CloudFormation = "cloudformation"
	Kubernetes     = "kubernetes"
	Dockerfile     = "dockerfile"
)

// Shares of a mixed corpus's resources, in percent; Terraform has the rest
// (50%). A Dockerfile is one resource and one file, so its share of the
// resources is small: at the default ten resources a file, 2% of the
// resources is a fifth of the files.
const (
	dockerResourcePct = 2
	cfnResourcePct    = 20
	k8sResourcePct    = 28
)

// Shares of the files that are not Dockerfiles, in percent; Terraform has
// the rest (60%). At the default density a CloudFormation template holds
// about thirty-five model resources (forty declarations) and a manifest file about ten objects.
const (
	cfnFilePct = 7
	k8sFilePct = 33
)

// MinMixedFiles is the smallest Files value Generate accepts with Mix: the
// Terraform part's minimum, one template and one manifest file.
const MinMixedFiles = MinFiles + 2

// FormatStats describes one format's part of a mixed corpus.
type FormatStats struct {
	// Files counts the files the format's loader reads.
	Files int
	// Resources counts the model resources the format's loader makes:
	// Terraform managed resource instances, the resources the
	// CloudFormation adapter makes (an S3 bucket with its public access
	// block and versioning is three; an internet gateway, which no rule
	// reads, is none), Kubernetes objects, Dockerfiles.
	Resources int
	// ByType counts Resources by model type.
	ByType map[string]int
}

func (fs *FormatStats) count(typ string, n int) {
	if n == 0 {
		return
	}
	fs.Resources += n
	fs.ByType[typ] += n
}

// share is one format's part of the Files and Resources totals.
type share struct{ files, resources int }

// mixShares splits cfg's totals across the formats. Every share is exact
// and the Terraform share is a valid Config of its own.
func mixShares(cfg Config) (tf, cfn, k8s, docker share) {
	docker.resources = min(cfg.Resources*dockerResourcePct/100, cfg.Files-MinMixedFiles)
	docker.files = docker.resources
	files, res := cfg.Files-docker.files, cfg.Resources-docker.resources

	rest := 100 - dockerResourcePct
	cfn.resources = res * cfnResourcePct / rest
	k8s.resources = res * k8sResourcePct / rest
	tf.resources = res - cfn.resources - k8s.resources

	// Templates hold ten model resources or more on average, manifest
	// files at least one object (a file without one is not Kubernetes);
	// files they cannot use go to Terraform.
	cfn.files = min(max(1, files*cfnFilePct/100), max(1, cfn.resources/10))
	k8s.files = min(files*k8sFilePct/100, k8s.resources)
	if k8s.resources > 0 {
		k8s.files = max(1, k8s.files)
	}
	tf.files = files - cfn.files - k8s.files
	if short := MinFiles - tf.files; short > 0 {
		take := min(short, k8s.files-min(1, k8s.files))
		k8s.files -= take
		cfn.files -= short - take
		tf.files = MinFiles
	}
	return tf, cfn, k8s, docker
}

// buildMixed lays out a corpus of every format: the Terraform monorepo as
// build writes it, CloudFormation stacks under cloudformation/, manifests
// under kubernetes/ and images under apps/. Each format draws from its own
// random source, so the Terraform part is the same bytes build writes for
// the same share.
func buildMixed(cfg Config) ([]outFile, Stats) {
	tfShare, cfnShare, k8sShare, dockerShare := mixShares(cfg)
	out, st := build(Config{Files: tfShare.files, Resources: tfShare.resources, Services: cfg.Services, Seed: cfg.Seed})
	st.Formats = map[string]FormatStats{
		Terraform: {Files: tfShare.files, Resources: st.Resources, ByType: copyCounts(st.ByType)},
	}
	rng := func(stream uint64) *rand.Rand { return rand.New(rand.NewPCG(uint64(cfg.Seed), stream)) }
	parts := []struct {
		name  string
		share share
		write func(rng *rand.Rand, budgets []int, fs *FormatStats) []outFile
	}{
		{CloudFormation, cfnShare, cfnTemplates},
		{Kubernetes, k8sShare, k8sManifests},
		{Dockerfile, dockerShare, dockerfiles},
	}
	for i, p := range parts {
		r := rng(0x6d6978 + uint64(i))
		fs := &FormatStats{ByType: map[string]int{}}
		var budgets []int
		if p.name == Dockerfile {
			budgets = split(p.share.resources, p.share.files, nil)
		} else {
			budgets = split(p.share.resources, p.share.files, r)
			if p.name == Kubernetes {
				atLeastOne(budgets)
			}
		}
		files := p.write(r, budgets, fs)
		fs.Files = len(files)
		st.Formats[p.name] = *fs
		st.Resources += fs.Resources
		for t, n := range fs.ByType {
			st.ByType[t] += n
		}
		out = append(out, files...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, st
}

// atLeastOne moves units so that no part is zero, taking them from the
// largest parts; the sum must be at least len(parts).
func atLeastOne(parts []int) {
	for i := range parts {
		for parts[i] == 0 {
			big := 0
			for j := range parts {
				if parts[j] > parts[big] {
					big = j
				}
			}
			parts[big]--
			parts[i]++
		}
	}
}

func copyCounts(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// writer accumulates one generated file.
type writer struct {
	rng     *rand.Rand
	badRate float64 // share of settings written the insecure way
	b       strings.Builder
}

func newWriter(rng *rand.Rand) *writer {
	// Some teams are careful, some are not.
	return &writer{rng: rng, badRate: 0.1 + 0.4*rng.Float64()}
}

func (w *writer) p(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

func (w *writer) bad() bool { return w.rng.Float64() < w.badRate }

func (w *writer) pick(xs ...string) string { return xs[w.rng.IntN(len(xs))] }

func (w *writer) chance(p float64) bool { return w.rng.Float64() < p }

// hex returns n random hexadecimal digits.
func (w *writer) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[w.rng.IntN(16)]
	}
	return string(b)
}

func (w *writer) digest() string { return "sha256:" + w.hex(64) }

// unitName is the name of the i-th team unit (namespace, stack owner,
// image directory): the services' names, numbered once they run out.
func unitName(i int) string {
	name := serviceNames[i%len(serviceNames)]
	if i >= len(serviceNames) {
		name = fmt.Sprintf("%s-%d", name, i/len(serviceNames))
	}
	return name
}
