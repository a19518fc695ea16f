// Command sdkgen writes the handwritten packages' generated files from the
// contract and from the code oapi-codegen generated for it, so that an
// additive contract change reaches them through `make generate` alone:
//
//   - connected/error_codes.gen.go: an ErrorCode and ErrorType constant for
//     every code and type of the contract, documented from the spec;
//   - connected/request_builders.gen.go: for every operation, the engine's
//     operation with the contract's method and path template, and a request
//     builder with gen's signature that builds the same request without
//     reflection and with one URL parse; and
//     connected/request_builders.gen_test.go, which pairs each with gen's
//     for the test that they build the same request;
//   - connected/connectedtest/unimplemented.gen.go: a 501 answer for every
//     operation of the contract the fake server has no handler for yet.
//
// Usage (scripts/generate.sh runs it):
//
//	go run ./scripts/sdkgen -spec api/openapi-partner-v1.json -gen gen/connected.gen.go \
//	    -errorcodes connected/error_codes.gen.go -builders connected/request_builders.gen.go \
//	    -builders-test connected/request_builders.gen_test.go \
//	    -handlers connected/connectedtest -unimplemented connected/connectedtest/unimplemented.gen.go
//
// -gen may name a freshly generated copy (check-generate.sh does), while
// -handlers always names the fake's handwritten sources.
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
	specPath := fs.String("spec", "", "the OpenAPI contract (JSON)")
	genPath := fs.String("gen", "", "the Go file oapi-codegen generated from -spec")
	errorCodesOut := fs.String("errorcodes", "", "write the connected package's error constants here")
	buildersOut := fs.String("builders", "", "write the connected package's request builders here")
	buildersTestOut := fs.String("builders-test", "", "write the connected package's request builder test cases here")
	handlersDir := fs.String("handlers", "", "the fake server's package directory (its handwritten handlers are read)")
	unimplementedOut := fs.String("unimplemented", "", "write the fake's answers for unimplemented operations here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for name, v := range map[string]string{"-spec": *specPath, "-gen": *genPath, "-errorcodes": *errorCodesOut, "-builders": *buildersOut, "-builders-test": *buildersTestOut, "-handlers": *handlersDir, "-unimplemented": *unimplementedOut} {
		if v == "" {
			return fmt.Errorf("%s is required", name)
		}
	}

	g, err := parseGenerated(*genPath)
	if err != nil {
		return err
	}
	spec, err := os.ReadFile(*specPath)
	if err != nil {
		return err
	}
	docs, err := enumDocs(*specPath, spec)
	if err != nil {
		return err
	}
	codes, err := errorCodesFile(g, docs)
	if err != nil {
		return err
	}
	params, err := operationParams(*specPath, spec)
	if err != nil {
		return err
	}
	builders, err := buildersFile(g, params)
	if err != nil {
		return err
	}
	builderCases, err := buildersTestFile(g)
	if err != nil {
		return err
	}
	implemented, err := implementedMethods(*handlersDir, "handlers")
	if err != nil {
		return err
	}
	stubs, err := unimplementedFile(g, implemented)
	if err != nil {
		return err
	}
	return errors.Join(
		writeFile(*errorCodesOut, codes),
		writeFile(*buildersOut, builders),
		writeFile(*buildersTestOut, builderCases),
		writeFile(*unimplementedOut, stubs),
	)
}

func writeFile(path string, content []byte) error {
	if err := os.WriteFile(path, content, 0o644); err != nil { //nolint:gosec // a committed source file, readable by all
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
