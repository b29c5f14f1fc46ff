package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/fixity-sec/fixity/pkg/vuln/download"
	"github.com/fixity-sec/fixity/pkg/vuln/store"
	"github.com/spf13/cobra"
)

// dbOptions are the flags every db command shares.
type dbOptions struct {
	path  string
	quiet bool
}

func (o *dbOptions) addFlags(cmd *cobra.Command) {
	cmd.PersistentFlags().StringVar(&o.path, "db", defaultDBPath(), "vulnerability database file")
	cmd.PersistentFlags().BoolVarP(&o.quiet, "quiet", "q", false, "show no progress")
}

// progress returns a progress display when standard error is a terminal
// and --quiet is off; nil otherwise.
func (o *dbOptions) progress(stdio IO) *progress {
	if o.quiet || !stdio.IsTerminal(stdio.Err) {
		return nil
	}
	return newProgress(stdio.Err)
}

// importOptions shows an import's files on prog, if there is one.
func importOptions(prog *progress, src string) []store.ImportOption {
	if prog == nil {
		return nil
	}
	prog.Step("importing "+filepath.Base(src), 0)
	return []store.ImportOption{store.WithProgress(prog.Set)}
}

// defaultDBPath is the user's cache directory, where a database can be
// rebuilt from its sources at any time.
func defaultDBPath() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "fixity", "vuln.db")
	}
	return "fixity-vuln.db"
}

func newDBCommand(stdio IO) *cobra.Command {
	var o dbOptions
	cmd := &cobra.Command{
		Use:   "db",
		Short: "Manage the local vulnerability database (OSV records)",
	}
	o.addFlags(cmd)
	cmd.AddCommand(newDBImportCommand(stdio, &o), newDBUpdateCommand(stdio, &o), newDBStatusCommand(stdio, &o))
	return cmd
}

func (o *dbOptions) open(cmd *cobra.Command, create bool) (*store.Store, error) {
	if !create {
		if _, err := os.Stat(o.path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no vulnerability database at %s: run `fixity db update --ecosystem` with the distributions you scan (Debian, Alpine, ...) "+
				"(or `fixity db import EXPORT.zip` where there is no network)", o.path)
		}
	}
	if err := os.MkdirAll(filepath.Dir(o.path), 0o755); err != nil {
		return nil, err
	}
	return store.Open(cmd.Context(), o.path)
}

func newDBImportCommand(stdio IO, o *dbOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE_OR_DIR...",
		Short: "Load OSV records from export zips or folders of JSON (for air-gapped sites)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := o.open(cmd, true)
			if err != nil {
				return fail(err)
			}
			defer st.Close()
			prog := o.progress(stdio)
			for _, src := range args {
				stats, err := st.Import(cmd.Context(), src, importOptions(prog, src)...)
				if prog != nil {
					prog.Clear()
				}
				if err != nil {
					return fail(err)
				}
				printImport(stdio, stats)
			}
			return nil
		},
	}
}

func newDBUpdateCommand(stdio IO, o *dbOptions) *cobra.Command {
	var ecosystems []string
	var source string
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Download and import the OSV exports of the ecosystems you scan",
		Long: `Download OSV's export of each ecosystem (one all.zip each) and import it.
HTTP_PROXY and HTTPS_PROXY are honoured; --source names a mirror.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(ecosystems) == 0 {
				return fail(errors.New("--ecosystem: name at least one, e.g. --ecosystem Debian,Alpine,Go"))
			}
			st, err := o.open(cmd, true)
			if err != nil {
				return fail(err)
			}
			defer st.Close()
			tmp, err := os.MkdirTemp("", "fixity-osv-")
			if err != nil {
				return fail(err)
			}
			defer os.RemoveAll(tmp)
			prog := o.progress(stdio)
			for _, eco := range ecosystems {
				stats, err := updateEcosystem(cmd.Context(), st, tmp, eco, source, prog)
				if err != nil {
					return fail(err)
				}
				printImport(stdio, stats)
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&ecosystems, "ecosystem", nil, "OSV ecosystems to download, e.g. Debian,Alpine,Go (comma-separated)")
	cmd.Flags().StringVar(&source, "source", download.DefaultBaseURL, "base URL of the OSV exports (<source>/<ecosystem>/all.zip)")
	return cmd
}

// updateEcosystem downloads one ecosystem's export into tmp and imports it.
func updateEcosystem(ctx context.Context, st *store.Store, tmp, eco, source string, prog *progress) (store.Stats, error) {
	dl := download.Options{BaseURL: source}
	if prog != nil {
		defer prog.Clear()
		dl.Progress = prog.Transfer("downloading " + eco)
	}
	path, err := download.Export(ctx, tmp, eco, dl)
	if err != nil {
		return store.Stats{}, err
	}
	opts := append(importOptions(prog, eco), store.WithSourceName(download.URL(source, eco)))
	return st.Import(ctx, path, opts...)
}

func printImport(stdio IO, s store.Stats) {
	fmt.Fprintf(stdio.Out, "%s: %d files, %d added, %d updated, %d unchanged, %d skipped (%s)\n",
		s.Source, s.Files, s.Added, s.Updated, s.Unchanged, len(s.Skipped), s.Duration.Round(time.Millisecond))
	for _, sk := range s.Skipped {
		fmt.Fprintf(stdio.Err, "  skipped %s: %s\n", sk.File, sk.Err)
	}
}

func newDBStatusCommand(stdio IO, o *dbOptions) *cobra.Command {
	var format, maxAgeFlag string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Say what the vulnerability database holds and how old it is",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var maxAge time.Duration
			if maxAgeFlag != "" {
				var err error
				if maxAge, err = parseAge(maxAgeFlag); err != nil {
					return fail(fmt.Errorf("--max-age: %w", err))
				}
			}
			st, err := o.open(cmd, false)
			if err != nil {
				return fail(err)
			}
			defer st.Close()
			s, err := st.Status(cmd.Context())
			if err != nil {
				return fail(err)
			}
			// Data never imported is as stale as data can be.
			never := s.LastImport.IsZero()
			stale := maxAge > 0 && (never || s.Age > maxAge)
			switch format {
			case "json":
				enc := json.NewEncoder(stdio.Out)
				enc.SetIndent("", "  ")
				var lastImport, lastModified any
				if !never {
					lastImport = s.LastImport
				}
				if !s.LastModified.IsZero() {
					lastModified = s.LastModified
				}
				if err := enc.Encode(map[string]any{
					"path": o.path, "records": s.Records, "ecosystems": s.Ecosystems,
					"last_import": lastImport, "last_source": s.LastSource,
					"last_modified": lastModified, "age_seconds": int64(s.Age.Seconds()), "stale": stale,
					"imported": s.Imported,
				}); err != nil {
					return fail(err)
				}
			case "table":
				if never {
					fmt.Fprintf(stdio.Out, "%s: %d records, never imported\n", o.path, s.Records)
				} else {
					fmt.Fprintf(stdio.Out, "%s: %d records, last import %s (%s ago) from %s\n", o.path, s.Records,
						s.LastImport.UTC().Format(time.RFC3339), s.Age.Round(time.Minute), s.LastSource)
				}
				names := make([]string, 0, len(s.Ecosystems))
				for n := range s.Ecosystems {
					names = append(names, n)
				}
				sort.Strings(names)
				for _, n := range names {
					line := fmt.Sprintf("  %-24s %8d", n, s.Ecosystems[n])
					if at, ok := s.Imported[n]; ok {
						line += "  imported " + at.UTC().Format(time.DateOnly)
					}
					fmt.Fprintln(stdio.Out, line)
				}
			default:
				return fail(fmt.Errorf("--format %q: want table or json", format))
			}
			if stale && never {
				fmt.Fprintf(stdio.Err, "warning: the database has never been imported into: run `fixity db update`\n")
				return &exitError{code: ExitFindings}
			}
			if stale {
				fmt.Fprintf(stdio.Err, "warning: the database is older than %s: run `fixity db update`\n", maxAgeFlag)
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table or json")
	cmd.Flags().StringVar(&maxAgeFlag, "max-age", "", "exit 1 with a warning when the last import is older than this (e.g. 7d, 72h)")
	return cmd
}
