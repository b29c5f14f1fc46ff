package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/fixity-sec/fixity/pkg/image"
	"github.com/fixity-sec/fixity/pkg/image/catalog"
	"github.com/fixity-sec/fixity/pkg/image/harden"
	"github.com/fixity-sec/fixity/pkg/image/sbom"
	"github.com/fixity-sec/fixity/pkg/imagescan"
	"github.com/spf13/cobra"
)

// imageOptions are the flags of `fixity image`.
type imageOptions struct {
	output      outputOptions
	db          dbOptions
	source      imagescan.Source
	sbomFormat  string
	sbomOutput  string
	baselineOut string
	maxAge      string
	maxDBAge    string
	skipVulns   bool
	// open reads the image the source names.
	open openImage
}

// openImage reads the image a source names. The command opens it with
// imagescan.Source.Open; tests read a root filesystem through one that
// fails where they say, which holds whoever runs them, where file modes do
// not hold for root.
type openImage func(ctx context.Context, src imagescan.Source) (*image.Image, error)

func newImageCommand(stdio IO, version string) *cobra.Command {
	return imageCommand(stdio, version, func(ctx context.Context, src imagescan.Source) (*image.Image, error) {
		return src.Open(ctx)
	})
}

// imageCommand is `fixity image` reading images with open.
func imageCommand(stdio IO, version string, open openImage) *cobra.Command {
	o := imageOptions{open: open}
	cmd := &cobra.Command{
		Use:   "image [REFERENCE]",
		Short: "Scan a golden image at bake time: SBOM, vulnerabilities, hardening, baseline",
		Long: `Scan a golden image before it ships: what it holds (SBOM), its known
vulnerabilities (OSV data, see fixity db), its hardening, and the baseline of
executables and ports it may use at run time.

The image comes from a registry (REFERENCE), a docker save archive (--input),
an OCI layout (--oci) or a plain root filesystem (--rootfs).

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it, or
something that could not be read while the rest was scanned (a damaged
package database; with --rootfs, a file or directory the user running the
scan may not read, such as /root for anyone but root); 2 the scan could not
run (no image, no vulnerability database).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.source.Ref = args[0]
			}
			return runImage(cmd, stdio, version, &o)
		},
	}
	f := cmd.Flags()
	o.output.addFlags(cmd)
	f.StringVar(&o.db.path, "db", defaultDBPath(), "vulnerability database file (see fixity db)")
	f.StringVar(&o.source.Input, "input", "", "read a docker save archive")
	f.StringVar(&o.source.OCI, "oci", "", "read an OCI image layout directory")
	f.StringVar(&o.source.RootFS, "rootfs", "", "read a root filesystem directory (VM images, Packer)")
	f.StringVar(&o.source.Platform, "platform", "", "pick this platform from a multi-arch index, e.g. linux/arm64")
	f.StringVar(&o.sbomFormat, "sbom", "", "also write the SBOM: cyclonedx or spdx")
	f.StringVar(&o.sbomOutput, "sbom-output", "-", "where --sbom writes (- is standard output, which then holds only the SBOM)")
	f.StringVar(&o.baselineOut, "baseline-out", "", "write the image's baseline (executables by checksum, ports, user) to this file (- is standard output, which then holds only the baseline)")
	f.StringVar(&o.maxAge, "max-age", "14d", "an image created longer ago than this is unpatched (FX-IMG-008); e.g. 14d, 72h; 0 turns the check off")
	f.StringVar(&o.maxDBAge, "max-db-age", "7d", "warn when the vulnerability data is older than this; 0 turns the warning off")
	f.BoolVar(&o.skipVulns, "skip-vulns", false, "do not match vulnerabilities (no database needed)")
	return cmd
}

// scanImage opens the image, pulls a registry image's layers once (they
// are read several times), and scans it.
func scanImage(ctx context.Context, stdio IO, open openImage, src imagescan.Source, opts imagescan.Options, prog *progress) (*imagescan.Result, error) {
	var pulled func(read, total int64)
	if prog != nil {
		defer prog.Clear()
		opts.Progress = prog
		prog.Step("reading the image", 0)
	}
	img, err := open(ctx, src)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := img.Close(); err != nil {
			fmt.Fprintf(stdio.Err, "warning: removing the pulled layers: %v\n", err)
		}
	}()
	if prog != nil && img.Source == image.SourceRegistry {
		pulled = prog.Transfer("pulling " + img.Ref)
	}
	if err := img.Pull(ctx, pulled); err != nil {
		return nil, err
	}
	return imagescan.Run(ctx, img, opts)
}

func runImage(cmd *cobra.Command, stdio IO, version string, o *imageOptions) error {
	threshold, err := o.output.threshold(cmd, "")
	if err != nil {
		return fail(err)
	}
	if err := o.output.validate(); err != nil {
		return fail(err)
	}
	maxAge, err := parseAge(o.maxAge)
	if err != nil {
		return fail(fmt.Errorf("--max-age: %w", err))
	}
	if maxAge == 0 {
		maxAge = -1 // 0 turns the check off, as --max-db-age 0 does; harden reads 0 as its default
	}
	maxDBAge, err := parseAge(o.maxDBAge)
	if err != nil {
		return fail(fmt.Errorf("--max-db-age: %w", err))
	}
	if o.sbomFormat != "" && o.sbomFormat != "cyclonedx" && o.sbomFormat != "spdx" {
		return fail(fmt.Errorf("--sbom %q: want cyclonedx or spdx", o.sbomFormat))
	}
	if o.sbomFormat == "" && cmd.Flags().Changed("sbom-output") {
		return fail(fmt.Errorf("--sbom-output needs --sbom cyclonedx or --sbom spdx"))
	}
	sbomToStdout := o.sbomFormat != "" && o.sbomOutput == "-"
	baselineToStdout := o.baselineOut == "-"
	if sbomToStdout && baselineToStdout {
		return fail(fmt.Errorf("--baseline-out -: standard output already holds the SBOM; name a file for one of them"))
	}
	opts := imagescan.Options{
		Harden:         harden.Options{MaxAge: maxAge},
		Baseline:       o.baselineOut != "",
		MaxVulnDataAge: maxDBAge,
		Version:        version,
	}
	if !o.skipVulns {
		st, err := o.db.open(cmd, false)
		if err != nil {
			return fail(err)
		}
		defer st.Close()
		status, err := st.Status(cmd.Context())
		if err != nil {
			return fail(err)
		}
		// An empty database would pass every image: that is no database.
		if status.Records == 0 {
			return fail(fmt.Errorf("the vulnerability database at %s holds no records: run `fixity db update --ecosystem` with the image's distribution (Debian, Alpine, ...) "+
				"(or `fixity db import EXPORT.zip` where there is no network)", o.db.path))
		}
		opts.Vulns, opts.VulnDataAge, opts.Ecosystems = st, status.Age, status.Ecosystems
		opts.VulnDataAges = make(map[string]time.Duration, len(status.Imported))
		for eco, at := range status.Imported {
			opts.VulnDataAges[eco] = status.Age + status.LastImport.Sub(at)
		}
	}
	prog := o.output.progress(stdio)
	res, err := scanImage(cmd.Context(), stdio, o.open, o.source, opts, prog)
	if err != nil {
		return fail(err)
	}
	if o.baselineOut != "" {
		if baselineToStdout {
			err = res.Baseline.Write(stdio.Out)
		} else {
			err = writeFile(o.baselineOut, res.Baseline.Write)
		}
		if err != nil {
			return fail(fmt.Errorf("--baseline-out: %w", err))
		}
	}
	if o.sbomFormat != "" {
		write := func(w io.Writer) error { return writeSBOM(w, o.sbomFormat, res.SBOM) }
		if sbomToStdout {
			err = write(stdio.Out)
		} else {
			err = writeFile(o.sbomOutput, write)
		}
		if err != nil {
			return fail(fmt.Errorf("--sbom: %w", err))
		}
	}
	// Standard output holds one document: the SBOM or the baseline when
	// one of them goes there.
	if !(sbomToStdout || baselineToStdout) || o.output.path != "" {
		if err := o.output.write(stdio, res.Report); err != nil {
			return fail(err)
		}
	}
	// As for every verb, what could not be read (a damaged package
	// database, a directory the user may not list) fails the gate: what it
	// holds was not checked.
	if res.Report.Fails(threshold) || len(res.Report.Errors) > 0 {
		return &exitError{code: ExitFindings}
	}
	return nil
}

func writeSBOM(w io.Writer, format string, s *catalog.SBOM) error {
	if format == "spdx" {
		return sbom.WriteSPDX(w, s)
	}
	return sbom.WriteCycloneDX(w, s)
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parseAge reads a duration that may also be given in days ("14d"), the
// unit image ages are thought of in.
func parseAge(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q: want a number of days (14d) or a duration (72h)", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: want a number of days (14d) or a duration (72h)", s)
	}
	return d, nil
}
