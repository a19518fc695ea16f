package rehearsal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// variant is one rehearsed contract change: a file of testdata/.
type variant struct {
	Name        string    `json:"-"` // the file name without .json
	Kind        string    `json:"kind"`
	Description string    `json:"description"`
	Patch       []patchOp `json:"patch"`
	Expect      expect    `json:"expect"`
}

// The two kinds of change.
const (
	additive = "additive"
	breaking = "breaking"
)

// expect is what the rehearsal checks beyond "green" or "caught".
type expect struct {
	// Generated maps a file to text that `make generate` must have
	// written into it, so an additive change is known to have arrived.
	Generated map[string][]string `json:"generated"`
	// Unimplemented is every operation the fake then answers 501.
	Unimplemented []string `json:"unimplemented"`
	// Probe is what testdata/probe_test.go.txt calls against the fake:
	// for a new operation, a call to it through Client.Do (method, path,
	// path_params, body, operation); for a field added to an operation's
	// query or body, a call of the typed method (typed) with params that
	// set the field, and what the request must then contain (sent).
	Probe json.RawMessage `json:"probe"`
	// CaughtBy is the step that must fail on a breaking change:
	// generate, build or test.
	CaughtBy string `json:"caught_by"`
}

// loadVariants reads every *.json of dir, and refuses one that does not
// say clearly what it rehearses.
func loadVariants(dir string) ([]variant, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []variant
	for _, p := range paths {
		b, err := os.ReadFile(p) //nolint:gosec // the package's own testdata
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		dec.UseNumber()
		var v variant
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		v.Name = strings.TrimSuffix(filepath.Base(p), ".json")
		if err := v.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no variants", dir)
	}
	return out, nil
}

func (v variant) check() error {
	switch {
	case v.Kind != additive && v.Kind != breaking:
		return fmt.Errorf("kind is %q: want %q or %q", v.Kind, additive, breaking)
	case !strings.HasPrefix(v.Name, v.Kind+"-"):
		return fmt.Errorf("the file name must start with its kind, %q", v.Kind+"-")
	case v.Description == "":
		return fmt.Errorf("description is missing")
	case len(v.Patch) == 0:
		return fmt.Errorf("patch is empty")
	case v.Kind == additive && v.Expect.CaughtBy != "":
		return fmt.Errorf("expect.caught_by is for breaking changes only")
	case v.Kind == breaking && v.Expect.CaughtBy != "generate" && v.Expect.CaughtBy != "build" && v.Expect.CaughtBy != "test":
		return fmt.Errorf("expect.caught_by is %q: want generate, build or test", v.Expect.CaughtBy)
	case v.Kind == breaking && (len(v.Expect.Generated) > 0 || len(v.Expect.Unimplemented) > 0 || v.Expect.Probe != nil):
		return fmt.Errorf("a breaking change expects only caught_by")
	}
	return nil
}

// apply returns the pinned spec with the variant's patch applied, as JSON.
func (v variant) apply(spec []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(spec))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	doc, err := applyPatch(doc, v.Patch)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", v.Name, err)
	}
	return json.Marshal(doc)
}
