// Package canonjson writes JSON with the keys of every object in the
// Connected API's own field order: "id", then "object", then the other keys
// A–Z. Arrays keep their order, numbers are written exactly as they were
// read, and <, > and & are not escaped.
//
// Indent is the canonical form of the pinned OpenAPI document (so it diffs
// line by line, and a re-fetched official document compares with it);
// Compact is the form of the fake server's response bodies.
package canonjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Indent parses doc and returns it two-space indented, keys in API order,
// ending in a newline. It fails on anything that is not exactly one JSON
// value.
func Indent(doc []byte) ([]byte, error) {
	return format(doc, true)
}

// MarshalIndent encodes v as JSON (without escaping <, > and &) and returns
// it as Indent would: the one way this project writes a document to disk.
func MarshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("canonjson: %w", err)
	}
	return Indent(buf.Bytes())
}

// Compact parses doc and returns it on one line, keys in API order, with no
// trailing newline.
func Compact(doc []byte) ([]byte, error) {
	return format(doc, false)
}

func format(doc []byte, pretty bool) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("canonjson: not JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("canonjson: trailing data after the JSON document")
	}
	w := writer{pretty: pretty}
	if err := w.write(v, 0); err != nil {
		return nil, err
	}
	if pretty {
		w.buf.WriteByte('\n')
	}
	return w.buf.Bytes(), nil
}

// Less orders object keys: "id", then "object", then byte order.
func Less(a, b string) bool {
	ra, rb := rank(a), rank(b)
	if ra != rb {
		return ra < rb
	}
	return a < b
}

func rank(k string) int {
	switch k {
	case "id":
		return 0
	case "object":
		return 1
	}
	return 2
}

type writer struct {
	buf    bytes.Buffer
	pretty bool
}

func (w *writer) write(v any, depth int) error {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			w.buf.WriteString("{}")
			return nil
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return Less(keys[i], keys[j]) })
		w.buf.WriteByte('{')
		for i, k := range keys {
			w.newline(depth + 1)
			if err := w.scalar(k); err != nil {
				return err
			}
			w.buf.WriteByte(':')
			if w.pretty {
				w.buf.WriteByte(' ')
			}
			if err := w.write(t[k], depth+1); err != nil {
				return err
			}
			if i < len(keys)-1 {
				w.buf.WriteByte(',')
			}
		}
		w.newline(depth)
		w.buf.WriteByte('}')
	case []any:
		if len(t) == 0 {
			w.buf.WriteString("[]")
			return nil
		}
		w.buf.WriteByte('[')
		for i, e := range t {
			w.newline(depth + 1)
			if err := w.write(e, depth+1); err != nil {
				return err
			}
			if i < len(t)-1 {
				w.buf.WriteByte(',')
			}
		}
		w.newline(depth)
		w.buf.WriteByte(']')
	default:
		return w.scalar(t)
	}
	return nil
}

func (w *writer) scalar(v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("canonjson: %w", err)
	}
	w.buf.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return nil
}

func (w *writer) newline(depth int) {
	if w.pretty {
		w.buf.WriteByte('\n')
		w.buf.WriteString(strings.Repeat("  ", depth))
	}
}
