// Package corpusgen writes large synthetic Terraform trees for benchmarks:
// a platform monorepo of shared modules and root modules, with exactly the
// number of files and resource instances asked for. With Config.Mix the
// tree also holds CloudFormation templates, Kubernetes manifests and
// Dockerfiles. tools/corpusgen is its command line; benchmarks call
// Generate directly.
package corpusgen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
)

// Config says how big a corpus to write.
type Config struct {
	// Files is the exact number of .tf files written; with Mix, of files
	// any format reads.
	Files int
	// Resources is the exact number of managed resource instances, counted
	// the way Terraform plans them; with Mix, of model resources of every
	// format (see FormatStats.Resources).
	Resources int
	// Services is the number of root modules; fewer are written when Files
	// cannot hold that many. 0 means 20.
	Services int
	// Seed makes the corpus reproducible.
	Seed int64
	// Mix splits Files and Resources across Terraform, CloudFormation,
	// Kubernetes manifests and Dockerfiles instead of writing Terraform
	// only: about 50%, 20%, 28% and 2% of the resources (see mixShares).
	// Services then counts the Terraform root modules.
	Mix bool
}

// Stats describes a written corpus.
type Stats struct {
	Files       int
	Bytes       int64
	Services    int
	ModuleCalls int
	// Resources counts managed resource instances; DataSources counts data
	// source instances, which are not part of Resources.
	Resources   int
	DataSources int
	// ByType counts managed resource instances per resource type.
	ByType map[string]int
	// Formats breaks a mixed corpus down by format (Terraform,
	// CloudFormation, Kubernetes, Dockerfile); nil without Config.Mix.
	// Services, ModuleCalls and DataSources are about the Terraform part.
	Formats map[string]FormatStats
}

// Fixed files: three shared modules of three files each, and two files
// (versions.tf, variables.tf) per service; every service has at least one
// resource file.
const (
	moduleFiles     = 9
	fixedPerService = 2
)

// MinFiles is the smallest Files value Generate accepts.
const MinFiles = moduleFiles + fixedPerService + 1

// Generate writes a corpus into dir, which must not exist or be empty.
func Generate(dir string, cfg Config) (Stats, error) {
	if cfg.Files < MinFiles {
		return Stats{}, fmt.Errorf("files must be at least %d, got %d", MinFiles, cfg.Files)
	}
	if cfg.Mix && cfg.Files < MinMixedFiles {
		return Stats{}, fmt.Errorf("a mixed corpus needs at least %d files, got %d", MinMixedFiles, cfg.Files)
	}
	if cfg.Resources < 0 {
		return Stats{}, fmt.Errorf("resources must not be negative, got %d", cfg.Resources)
	}
	if cfg.Services <= 0 {
		cfg.Services = 20
	}
	if err := ensureEmpty(dir); err != nil {
		return Stats{}, err
	}

	build := build
	if cfg.Mix {
		build = buildMixed
	}
	files, st := build(cfg)
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return Stats{}, err
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return Stats{}, err
		}
		st.Bytes += int64(len(f.data))
	}
	st.Files = len(files)
	return st, nil
}

func ensureEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty; remove it or choose another -out", dir)
	}
	return nil
}

type outFile struct {
	path string
	data []byte
}

// build lays the corpus out in memory: which services, how many resource
// files each, how many resource instances each file holds, and then the
// files themselves. Nothing here depends on map order, so a seed always
// gives the same bytes.
func build(cfg Config) ([]outFile, Stats) {
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x66697869747921))
	st := Stats{ByType: map[string]int{}}

	services := min(cfg.Services, (cfg.Files-moduleFiles)/(fixedPerService+1))
	resourceFiles := cfg.Files - moduleFiles - services*fixedPerService
	perService := split(resourceFiles, services, nil)
	budgets := split(cfg.Resources, resourceFiles, rng)

	var out []outFile
	used := map[string]bool{}
	next := 0
	for i := range services {
		s := newService(i, rng, &st, used)
		var paths []string
		for range perService[i] {
			theme := themes[s.themeCursor%len(themes)]
			s.themeCursor++
			s.fileSeq[theme]++
			path := fmt.Sprintf("services/%s/%s_%02d.tf", s.dir, theme, s.fileSeq[theme])
			s.beginFile(theme, budgets[next])
			next++
			paths = append(paths, path)
		}
		// Small corpora may not call every shared module; an unused module
		// directory would become a root of its own, so call it switched off.
		if i == services-1 {
			s.callUnusedModules()
		}
		for j, p := range paths {
			out = append(out, outFile{path: p, data: format(s.files[j])})
		}
		out = append(out,
			outFile{path: "services/" + s.dir + "/versions.tf", data: format(s.versionsTF())},
			outFile{path: "services/" + s.dir + "/variables.tf", data: format(s.variablesTF())},
		)
	}
	for _, m := range sharedModules {
		for _, f := range m.files {
			out = append(out, outFile{path: "modules/" + m.name + "/" + f.name, data: format(f.text)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	st.Services = services
	return out, st
}

// split divides total into n parts that sum to total. With rng the parts
// vary around the mean (half to one and a half times it); without, they
// differ by at most one.
func split(total, n int, rng *rand.Rand) []int {
	parts := make([]int, n)
	if n == 0 {
		return parts
	}
	if rng == nil {
		for i := range parts {
			parts[i] = total / n
			if i < total%n {
				parts[i]++
			}
		}
		return parts
	}
	weights := make([]float64, n)
	var sum float64
	for i := range weights {
		weights[i] = 0.5 + rng.Float64()
		sum += weights[i]
	}
	given := 0
	for i := range parts {
		parts[i] = int(float64(total) * weights[i] / sum)
		given += parts[i]
	}
	for i := 0; given < total; i = (i + 1) % n {
		parts[i]++
		given++
	}
	return parts
}
