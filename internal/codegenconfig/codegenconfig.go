// Package codegenconfig reads oapi-codegen's configuration files, and
// composes each oapi-codegen run's configuration from its own file and the
// naming options of oapi-codegen.yaml, so that those options are stated
// once.
//
// The naming options are the ones that make Go names: the name normalizer,
// its additional initialisms and the overlay of Go names. Every run must
// share them, because connected/operations.gen.go and
// connected/connectedtest/unimplemented.gen.go name gen's identifiers, and
// scripts/sdkgen reads them from oapi-codegen.yaml (Load) to name its
// constants as gen does.
package codegenconfig

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"go.yaml.in/yaml/v3"
)

// File is a configuration file as oapi-codegen's command reads it: its
// codegen.Configuration and the file it writes.
type File struct {
	codegen.Configuration `yaml:",inline"`
	Output                string `yaml:"output,omitempty"`
}

// namingKeys are the keys of output-options that make Go names: stated in
// oapi-codegen.yaml alone, and taken from there into every run.
var namingKeys = []string{"name-normalizer", "additional-initialisms", "overlay"}

// Load reads the configuration file at path, refusing a key oapi-codegen
// does not know (as oapi-codegen does when it tells its configuration
// styles apart).
func Load(path string) (File, error) {
	f, _, err := read(path)
	return f, err
}

// read reads the configuration file at path: what it configures, and its
// text.
func read(path string) (File, []byte, error) {
	b, err := os.ReadFile(path) //nolint:gosec // a maintainer's configuration: the path is theirs to choose
	if err != nil {
		return File{}, nil, err
	}
	f, err := parse(path, b)
	return f, b, err
}

func parse(path string, b []byte) (File, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Compose returns the configuration of one oapi-codegen run: the file at
// runPath, with the naming options of the file at namingPath in its
// output-options and its output moved under outDir. Everything else is
// the run's file as written.
//
// A run's file must not state a naming option itself (unless it is the
// naming file): it would be a second statement of it, free to disagree.
func Compose(namingPath, runPath, outDir string) ([]byte, error) {
	run, err := readNode(runPath)
	if err != nil {
		return nil, err
	}
	same, err := samePath(namingPath, runPath)
	if err != nil {
		return nil, err
	}
	if !same {
		naming, err := readNode(namingPath)
		if err != nil {
			return nil, err
		}
		from := lookup(naming, "output-options")
		if from == nil {
			return nil, fmt.Errorf("%s: no output-options", namingPath)
		}
		to := lookup(run, "output-options")
		if to == nil {
			run.Content = append(run.Content,
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "output-options"},
				&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
			to = run.Content[len(run.Content)-1]
		}
		for _, key := range namingKeys {
			if lookup(to, key) != nil {
				return nil, fmt.Errorf("%s: output-options.%s is stated in %s alone", runPath, key, namingPath)
			}
			for i := 0; i+1 < len(from.Content); i += 2 {
				if from.Content[i].Value == key {
					to.Content = append(to.Content, from.Content[i], from.Content[i+1])
				}
			}
		}
	}
	output := lookup(run, "output")
	if output == nil || output.Kind != yaml.ScalarNode || output.Value == "" {
		return nil, fmt.Errorf("%s: no output", runPath)
	}
	output.Value = filepath.Join(outDir, output.Value)

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(run); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	// What oapi-codegen will read must be a configuration it knows.
	if _, err := parse(runPath+" (composed)", buf.Bytes()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readNode reads the YAML file at path: its top-level mapping.
func readNode(path string) (*yaml.Node, error) {
	_, b, err := read(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not a mapping", path)
	}
	return doc.Content[0], nil
}

// lookup is the value of key in the mapping m, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// samePath tells whether a and b name the same file.
func samePath(a, b string) (bool, error) {
	absA, err := filepath.Abs(a)
	if err != nil {
		return false, err
	}
	absB, err := filepath.Abs(b)
	if err != nil {
		return false, err
	}
	return absA == absB, nil
}
