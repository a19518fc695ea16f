// Command specfmt rewrites an OpenAPI JSON document in the project's
// canonical form (see internal/canonjson): `go run ./scripts/specfmt FILE`
// rewrites FILE in place; with no argument it filters stdin to stdout.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/dronline/connected-go/internal/canonjson"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "specfmt:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch len(args) {
	case 0:
		in, err := io.ReadAll(os.Stdin)
		if err != nil {
			return err
		}
		out, err := canonjson.Indent(in)
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(out)
		return err
	case 1:
		in, err := os.ReadFile(args[0]) //nolint:gosec // a maintainer's command: the path is theirs to choose
		if err != nil {
			return err
		}
		out, err := canonjson.Indent(in)
		if err != nil {
			return fmt.Errorf("%s: %w", args[0], err)
		}
		return os.WriteFile(args[0], out, 0o644) //nolint:gosec // a committed source file, readable by all
	default:
		return fmt.Errorf("usage: specfmt [FILE]")
	}
}
