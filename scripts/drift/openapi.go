package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// parseOpenAPI decodes body as one JSON object that is an OpenAPI 3
// document. It keeps numbers as written (json.Number) so that nothing is
// lost when -update writes the document back. The errors tell apart the
// bodies a misconfigured or failing server sends instead of the spec.
func parseOpenAPI(body []byte, contentType string) (map[string]any, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, errors.New("not JSON: the body is empty")
	}
	// Only the body decides: a server may well label the real spec text/html.
	if trimmed[0] == '<' {
		return nil, fmt.Errorf("not JSON: got markup, probably HTML (Content-Type %q) — a login, error or maintenance page?", contentType)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New("not JSON: truncated, the document ends early (an interrupted download?)")
		}
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("not JSON: trailing data after the document")
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not an OpenAPI 3 document: the JSON is a %s, not an object", kind(v))
	}
	version, _ := doc["openapi"].(string)
	switch {
	case version == "" && doc["swagger"] != nil:
		return nil, errors.New("not an OpenAPI 3 document: it is Swagger 2")
	case version == "":
		return nil, errors.New(`not an OpenAPI 3 document: no "openapi" version field`)
	case !strings.HasPrefix(version, "3."):
		return nil, fmt.Errorf("not an OpenAPI 3 document: openapi is %q", version)
	}
	if _, ok := doc["info"].(map[string]any); !ok {
		return nil, errors.New(`not an OpenAPI 3 document: no "info" object`)
	}
	if _, ok := doc["paths"].(map[string]any); !ok {
		return nil, errors.New(`not an OpenAPI 3 document: no "paths" object`)
	}
	return doc, nil
}

func infoVersion(doc map[string]any) string {
	info, _ := doc["info"].(map[string]any)
	v, _ := info["version"].(string)
	return v
}

func kind(v any) string {
	switch v.(type) {
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
