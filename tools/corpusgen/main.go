// Command corpusgen writes a large synthetic Terraform tree for benchmarking
// fixity scan.
//
// The tree looks like a platform team's monorepo: a shared modules/ directory
// (security_group, s3_bucket, web_asg) and several root modules under
// services/, each with its provider settings, variables with defaults and
// locals, and resource files grouped by theme (network, compute, storage,
// iam, data, observability). Resources are the AWS types the built-in rules
// look at, with a mix of good and bad settings, declared plainly and through
// count, for_each, dynamic blocks and calls to the shared modules.
//
// The output has exactly -files .tf files and exactly -resources managed
// resource instances as Terraform counts them: count and for_each expanded,
// module resources counted once per module instance. Data sources are extra
// and reported separately. The same -seed always gives the same bytes.
//
// With -mix the totals are split across formats: about half the resources
// in Terraform as above, the rest in CloudFormation templates
// (cloudformation/), multi-document Kubernetes manifests (kubernetes/) and
// multi-stage Dockerfiles (apps/). -files then counts files of every format
// and -resources the resources fixity's model holds: CloudFormation
// resources as the adapter maps them, one per Kubernetes object, one per
// Dockerfile.
//
// Usage:
//
//	go run ./tools/corpusgen -out /tmp/fixity-corpus
//	go run ./tools/corpusgen -out /tmp/small -files 200 -resources 2000 -seed 7
//	go run ./tools/corpusgen -out /tmp/fixity-mixed -mix
//
// The output directory must not exist or be empty.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/fixity-sec/fixity/internal/corpusgen"
)

func main() {
	var cfg corpusgen.Config
	out := flag.String("out", "", "directory to write the corpus to (must not exist or be empty)")
	flag.IntVar(&cfg.Files, "files", 2000, "number of .tf files to write (with -mix, of files of every format)")
	flag.IntVar(&cfg.Resources, "resources", 20000, "number of managed resource instances, count and for_each expanded (with -mix, of model resources of every format)")
	flag.IntVar(&cfg.Services, "services", 20, "number of root modules (fewer when -files is too small)")
	flag.Int64Var(&cfg.Seed, "seed", 1, "random seed; the same seed gives the same corpus")
	flag.BoolVar(&cfg.Mix, "mix", false, "split -files and -resources across Terraform, CloudFormation, Kubernetes manifests and Dockerfiles")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "corpusgen: -out is required")
		flag.Usage()
		os.Exit(2)
	}
	st, err := corpusgen.Generate(*out, cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "corpusgen: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s: %d files (%d bytes), %d services, %d module calls, %d resources, %d data sources, %d resource types\n",
		*out, st.Files, st.Bytes, st.Services, st.ModuleCalls, st.Resources, st.DataSources, len(st.ByType))
	for _, f := range []string{corpusgen.Terraform, corpusgen.CloudFormation, corpusgen.Kubernetes, corpusgen.Dockerfile} {
		if fs, ok := st.Formats[f]; ok {
			fmt.Printf("  %-14s %5d files %6d resources %3d types\n", f, fs.Files, fs.Resources, len(fs.ByType))
		}
	}
}
