package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dronline/connected-go/connected/connectedtest"
	mocksandbox "github.com/dronline/connected-go/internal/sandbox"
)

// readCatalogueFile reads a --catalogue file. YAML is read into plain
// values and handed on as JSON, so one parser checks both and names the
// wrong field the same way.
func readCatalogueFile(path string) (connectedtest.Catalogue, error) {
	data, err := os.ReadFile(path) //nolint:gosec // the file the user names with --catalogue
	if err != nil {
		return connectedtest.Catalogue{}, fmt.Errorf("--catalogue: %w", err)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			return connectedtest.Catalogue{}, fmt.Errorf("--catalogue %s: not valid YAML: %w", path, err)
		}
		if data, err = json.Marshal(v); err != nil {
			// A YAML map with non-string keys has no JSON form.
			return connectedtest.Catalogue{}, fmt.Errorf("--catalogue %s: %w", path, err)
		}
	}
	cat, err := mocksandbox.ParseCatalogue(data)
	if err != nil {
		return connectedtest.Catalogue{}, fmt.Errorf("--catalogue %s: %w", path, err)
	}
	return cat, nil
}
