package cli

import (
	"fmt"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/image/harden"
	"github.com/fixity-sec/fixity/pkg/report"
	"github.com/fixity-sec/fixity/pkg/rules"
	"github.com/spf13/cobra"
)

func newRulesCommand(stdio IO) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the built-in rules",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var metas []finding.Rule
			for _, r := range rules.All() {
				metas = append(metas, r.Meta())
			}
			// The golden-image checks of fixity image.
			metas = append(metas, harden.Rules()...)
			if err := report.WriteRules(stdio.Out, metas, format); err != nil {
				return fail(fmt.Errorf("rules: %w", err))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table, json or markdown")
	return cmd
}
