// Command sdkgen writes the connected package's constants for the values
// of the contract's enums, from the spec alone, so that an additive
// contract change reaches them through `make generate` with no edit:
//
//   - connected/error_codes.gen.go: an ErrorType and ErrorCode constant for
//     every type and code of the contract's error envelope;
//   - connected/enums.gen.go: for every other enum of the contract's
//     objects, an alias of gen's type and a constant for each value;
//   - connected/models.gen.go: for every object of the contract a user
//     meets by name, an alias of gen's type (models.go says which).
//   - internal/contract/rules.gen.go: the limits, enum values and required
//     properties of the request bodies, the limits and header names of the
//     parameters, and the operation table (rules.go).
//
// Each is documented from the spec. Every name is made by oapi-codegen's
// own functions with the naming options of -config, oapi-codegen.yaml (its
// name normalizer and initialisms: names.go), after the overlay of Go names
// it states (spec.go): the aliases refer to gen's types, and the constants
// spell initialisms as gen does. sdkgen reads no Go source.
//
// Usage (scripts/generate.sh runs it):
//
//	go run ./scripts/sdkgen -spec api/openapi-partner-v1.json -config oapi-codegen.yaml \
//	    -errorcodes connected/error_codes.gen.go -enums connected/enums.gen.go \
//	    -models connected/models.gen.go -rules internal/contract/rules.gen.go
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/dronline/connected-go/internal/codegenconfig"
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
	configPath := fs.String("config", "", "oapi-codegen's configuration of gen, whose naming options (name normalizer, initialisms, overlay) make the names; its relative paths are read from the working directory, as oapi-codegen reads them")
	errorCodesOut := fs.String("errorcodes", "", "write the connected package's error constants here")
	enumsOut := fs.String("enums", "", "write the connected package's enum types and constants here")
	modelsOut := fs.String("models", "", "write the connected package's aliases of the contract's objects here")
	rulesOut := fs.String("rules", "", "write package contract's limits, enum values, header names and operation table here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for name, v := range map[string]string{"-spec": *specPath, "-config": *configPath, "-errorcodes": *errorCodesOut, "-enums": *enumsOut, "-models": *modelsOut, "-rules": *rulesOut} {
		if v == "" {
			return fmt.Errorf("%s is required", name)
		}
	}

	cfg, err := codegenconfig.Load(*configPath)
	if err != nil {
		return err
	}
	n, err := newNames(cfg.Configuration)
	if err != nil {
		return err
	}
	all, err := readEnums(*specPath, cfg.OutputOptions.Overlay, n)
	if err != nil {
		return err
	}
	codes, err := errorCodesFile(all, n)
	if err != nil {
		return err
	}
	enums, err := enumsFile(all, n)
	if err != nil {
		return err
	}
	objects, err := readModels(*specPath, cfg.OutputOptions.Overlay, n)
	if err != nil {
		return err
	}
	models, err := modelsFile(objects)
	if err != nil {
		return err
	}
	rules, err := rulesFile(*specPath, cfg.OutputOptions.Overlay, n)
	if err != nil {
		return err
	}
	return errors.Join(
		writeFile(*errorCodesOut, codes),
		writeFile(*enumsOut, enums),
		writeFile(*modelsOut, models),
		writeFile(*rulesOut, rules),
	)
}

func writeFile(path string, content []byte) error {
	if err := os.WriteFile(path, content, 0o644); err != nil { //nolint:gosec // a committed source file, readable by all
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
