package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
)

func (a *app) accountCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "account",
		Short: "Show the account of the key: currency, timezone, features, contract version",
		Args:  cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				acct, err := c.Account.Get(ctx)
				if err != nil {
					return err
				}
				return a.emit(asJSON, acct, func(w io.Writer) error { return printAccount(w, acct) })
			})
		}),
	}
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func printAccount(w io.Writer, acct *connected.Account) error {
	features := make([]string, 0, len(acct.Features))
	for _, k := range slices.Sorted(maps.Keys(acct.Features)) {
		features = append(features, fmt.Sprintf("%s=%t", k, acct.Features[k]))
	}
	return keyValues(w, [][2]string{
		{"id", acct.ID},
		{"name", acct.Name},
		{"livemode", fmt.Sprint(acct.Livemode)},
		{"currency", acct.Currency},
		{"timezone", acct.Timezone},
		{"api_version", acct.APIVersion.String()},
		{"path_version", string(acct.PathVersion)},
		{"features", strings.Join(features, ",")},
	})
}
