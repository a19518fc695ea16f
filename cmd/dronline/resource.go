package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
)

// withClient runs f with a client from the environment and closes the
// client's idle connections afterwards.
func (a *app) withClient(cmd *cobra.Command, f func(ctx context.Context, c *connected.Client) error) error {
	c, err := a.clientFromEnv()
	if err != nil {
		return err
	}
	defer c.close()
	return f(cmd.Context(), c.Client)
}

// emit prints v as JSON with --json, else as human would read it.
func (a *app) emit(asJSON bool, v any, human func(w io.Writer) error) error {
	if asJSON {
		return writeJSON(a.stdout, v)
	}
	return human(a.stdout)
}

func addJSONFlag(cmd *cobra.Command, asJSON *bool) {
	cmd.Flags().BoolVar(asJSON, "json", false, "print the API objects as JSON (lists: a JSON array of every item)")
}

func addLimitFlag(cmd *cobra.Command, limit *int) {
	cmd.Flags().IntVar(limit, "limit", 0, "stop after this many items (0: page through everything)")
}

func addIdempotencyFlag(cmd *cobra.Command, key *string) {
	cmd.Flags().StringVar(key, "idempotency-key", "", "Idempotency-Key to send (default: a random one, reused by retries); repeat a command with the same key to get the first result instead of acting twice")
}

// group is a parent command such as "appointments": it only holds
// subcommands. An unknown subcommand is a usage error rather than help.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  noSubcommand,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(subs...)
	return cmd
}

// noSubcommand refuses an argument to a command that only holds
// subcommands: it can only be a mistyped subcommand. (Without a RunE,
// cobra would print help and exit 0.)
func noSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

// keyValues prints label/value rows, for single objects.
func keyValues(w io.Writer, rows [][2]string) error {
	t := newTable(w)
	for _, r := range rows {
		t.row(r[0], r[1])
	}
	return t.flush()
}
