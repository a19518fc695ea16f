package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// enumDocs reads from the spec b (read from path), for every enum schema
// of its components, the description line the contract gives each value —
// "- `hold_expired` (HTTP 409): Confirm after …" — keyed by schema name,
// then by value. A value without such a line simply has no documentation
// beyond its name.
func enumDocs(path string, b []byte) (map[string]map[string]string, error) {
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

// specParam is one parameter of an operation, as much of it as deciding
// how to build it needs.
type specParam struct {
	Name          string          `json:"name"`
	In            string          `json:"in"`
	Style         string          `json:"style"`
	Explode       *bool           `json:"explode"`
	AllowReserved bool            `json:"allowReserved"`
	Content       json.RawMessage `json:"content"`
	Ref           string          `json:"$ref"`
}

// operationParams reads from the spec b (read from path) every
// operation's parameters, path-level ones included and references
// resolved, keyed by route ("GET /connected/slots").
func operationParams(path string, b []byte) (map[string][]specParam, error) {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Parameters map[string]specParam `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	resolve := func(ps []specParam) ([]specParam, error) {
		out := make([]specParam, 0, len(ps))
		for _, p := range ps {
			if p.Ref != "" {
				name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
				target, found := doc.Components.Parameters[name]
				if !ok || !found {
					return nil, fmt.Errorf("%s: parameter reference %s does not resolve", path, p.Ref)
				}
				p = target
			}
			out = append(out, p)
		}
		return out, nil
	}
	methods := map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "trace": true}
	routes := map[string][]specParam{}
	for template, item := range doc.Paths {
		var shared []specParam
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				return nil, fmt.Errorf("%s: %s parameters: %w", path, template, err)
			}
		}
		shared, err := resolve(shared)
		if err != nil {
			return nil, err
		}
		for method, raw := range item {
			if !methods[method] {
				continue
			}
			var op struct {
				Parameters []specParam `json:"parameters"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				return nil, fmt.Errorf("%s: %s %s: %w", path, method, template, err)
			}
			params, err := resolve(op.Parameters)
			if err != nil {
				return nil, err
			}
			// An operation's parameter overrides a path-level one of the
			// same name and location.
			for _, s := range shared {
				if !slices.ContainsFunc(params, func(p specParam) bool { return p.Name == s.Name && p.In == s.In }) {
					params = append(params, s)
				}
			}
			routes[strings.ToUpper(method)+" "+template] = params
		}
	}
	return routes, nil
}
