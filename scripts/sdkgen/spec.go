package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// enumDocs reads, for every enum schema of the spec's components, the
// description line the contract gives each value — "- `hold_expired` (HTTP
// 409): Confirm after …" — keyed by schema name, then by value. A value
// without such a line simply has no documentation beyond its name.
func enumDocs(path string) (map[string]map[string]string, error) {
	b, err := os.ReadFile(path) //nolint:gosec // the maintainer's own spec path
	if err != nil {
		return nil, err
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Description string `json:"description"`
				Enum        []any  `json:"enum"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]map[string]string{}
	for name, s := range doc.Components.Schemas {
		if len(s.Enum) == 0 {
			continue
		}
		docs := map[string]string{}
		for _, line := range strings.Split(s.Description, "\n") {
			value, text, ok := valueLine(line)
			if ok {
				docs[value] = text
			}
		}
		out[name] = docs
	}
	return out, nil
}

// valueLine splits "- `value` (HTTP 409): text" into value and
// "(HTTP 409): text", and "- `value`: text" into value and ": text".
func valueLine(line string) (value, text string, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(line), "- `")
	if !found {
		return "", "", false
	}
	value, text, found = strings.Cut(rest, "`")
	if !found || value == "" {
		return "", "", false
	}
	return value, strings.TrimSpace(text), true
}
