// Command genspec writes the pinned spec as the pinned oapi-codegen should
// read it: `go run ./scripts/genspec SPEC > OUT`. It is the same document
// but for one change, a workaround for a generator bug:
//
// OpenAPI 3.0.3 requires a nullable enum to list null among its values
// (api/ does, so that independent linters pass). oapi-codegen v2.8.2 turns
// that null into a string constant "<nil>" (named LessThannil) and makes
// the enum's Valid() accept the string "<nil>"
// (github.com/oapi-codegen/oapi-codegen/issues/1933). So genspec removes null
// from the enum of every schema that is `nullable: true`, which says the
// same thing to the generator: the field stays a nullable.Nullable.
//
// The output is for the generator only; api/openapi-partner-v1.json, which
// users, linters and the drift check read, keeps its null.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/dronline/connected-go/internal/canonjson"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "genspec:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: genspec SPEC > OUT")
	}
	in, err := os.ReadFile(args[0]) //nolint:gosec // a maintainer's command: the path is theirs to choose
	if err != nil {
		return err
	}
	out, err := forGenerator(in)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	_, err = stdout.Write(out)
	return err
}

// forGenerator returns doc with null removed from the enum of every
// nullable schema, in the canonical formatting.
func forGenerator(doc []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	return canonjson.MarshalIndent(dropNullEnumMembers(v))
}

func dropNullEnumMembers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			t[k] = dropNullEnumMembers(child)
		}
		if enum, ok := t["enum"].([]any); ok && t["nullable"] == true {
			kept := make([]any, 0, len(enum))
			for _, e := range enum {
				if e != nil {
					kept = append(kept, e)
				}
			}
			t["enum"] = kept
		}
	case []any:
		for i, child := range t {
			t[i] = dropNullEnumMembers(child)
		}
	}
	return v
}
