// Package cli builds fixity's command line. Each verb lives in its own file
// and does three things only: read flags into an options struct, call a
// package that does the work, and turn the outcome into an exit code.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes, the same for every verb.
const (
	ExitOK       = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on, or input that could not be read
	ExitError    = 2 // the command could not do its job
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error // nil: exit quietly with code
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func fail(err error) error { return &exitError{code: ExitError, err: err} }

// IO is where a command reads and writes; tests substitute buffers.
type IO struct {
	Out io.Writer
	Err io.Writer
	// IsTerminal tells whether a writer is an interactive terminal, for
	// colours and progress.
	IsTerminal func(w io.Writer) bool
}

// Execute runs fixity with args and returns the process exit code.
func Execute(ctx context.Context, args []string, stdio IO, version string) int {
	if stdio.IsTerminal == nil {
		stdio.IsTerminal = func(io.Writer) bool { return false }
	}
	root := newRoot(stdio, version)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stdio.Err, "fixity: %v\n", ee.err)
		}
		return ee.code
	}
	// Cobra's own errors: unknown flags, wrong argument counts.
	fmt.Fprintf(stdio.Err, "fixity: %v\n", err)
	return ExitError
}

func newRoot(stdio IO, version string) *cobra.Command {
	root := &cobra.Command{
		Use:   "fixity",
		Short: "Security for immutable infrastructure",
		Long: `fixity secures immutable infrastructure: the code that declares it, the
golden images it runs, and the fleet that runs them.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	root.AddCommand(
		newScanCommand(stdio, version),
		newRulesCommand(stdio),
		newImageCommand(stdio, version),
		newDBCommand(stdio),
		newVersionCommand(stdio, version),
	)
	return root
}
