package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the SDK and Go versions",
		Args:  cobra.NoArgs,
		RunE: action(func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(a.stdout, "dronline %s (connected-go SDK %s, %s %s/%s)\n",
				connected.Version, connected.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		}),
	}
}
