// Command codegenconfig writes the configuration of one oapi-codegen run
// to stdout: the run's own file with the naming options of -naming (the
// name normalizer, its initialisms and the overlay; see
// internal/codegenconfig) and its output under -out. It reads YAML only.
//
// Usage (scripts/generate.sh runs it once per run):
//
//	go run ./scripts/codegenconfig -naming oapi-codegen.yaml -out DIR codegen/operations.yaml
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dronline/connected-go/internal/codegenconfig"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "codegenconfig:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("codegenconfig", flag.ContinueOnError)
	fs.SetOutput(stderr)
	naming := fs.String("naming", "", "the configuration stating the naming options (oapi-codegen.yaml)")
	out := fs.String("out", ".", "write the run's output under this directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *naming == "" || fs.NArg() != 1 {
		return fmt.Errorf("usage: codegenconfig -naming FILE [-out DIR] CONFIG")
	}
	b, err := codegenconfig.Compose(*naming, fs.Arg(0), *out)
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
