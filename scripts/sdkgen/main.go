// Command sdkgen writes the connected package's constants for the values
// of the contract's enums, from the spec alone, so that an additive
// contract change reaches them through `make generate` with no edit:
//
//   - connected/error_codes.gen.go: an ErrorType and ErrorCode constant for
//     every type and code of the contract's error envelope;
//   - connected/enums.gen.go: for every other enum of the contract's
//     objects, an alias of gen's type and a constant for each value.
//
// Each is documented from the spec. Names come from the values, camel-cased
// with Go's initialisms (names.go); the type of an enum is named as
// oapi-codegen names it, after the overlay of Go names (spec.go), so the
// aliases refer to gen's types. sdkgen reads no Go source.
//
// Usage (scripts/generate.sh runs it):
//
//	go run ./scripts/sdkgen -spec api/openapi-partner-v1.json -overlay api/go-overlay.yaml \
//	    -errorcodes connected/error_codes.gen.go -enums connected/enums.gen.go
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("sdkgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	specPath := fs.String("spec", "", "the OpenAPI contract")
	overlayPath := fs.String("overlay", "", "the overlay of Go names oapi-codegen applies to -spec")
	errorCodesOut := fs.String("errorcodes", "", "write the connected package's error constants here")
	enumsOut := fs.String("enums", "", "write the connected package's enum types and constants here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for name, v := range map[string]string{"-spec": *specPath, "-overlay": *overlayPath, "-errorcodes": *errorCodesOut, "-enums": *enumsOut} {
		if v == "" {
			return fmt.Errorf("%s is required", name)
		}
	}

	all, err := readEnums(*specPath, *overlayPath)
	if err != nil {
		return err
	}
	codes, err := errorCodesFile(all)
	if err != nil {
		return err
	}
	enums, err := enumsFile(all)
	if err != nil {
		return err
	}
	return errors.Join(
		writeFile(*errorCodesOut, codes),
		writeFile(*enumsOut, enums),
	)
}

func writeFile(path string, content []byte) error {
	if err := os.WriteFile(path, content, 0o644); err != nil { //nolint:gosec // a committed source file, readable by all
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
