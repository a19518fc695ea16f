package main

import (
	"regexp"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// unlisted walks a response body against its schema and lists, as
// additions, the properties the contract does not list. kin-openapi
// allows additional properties unless a schema forbids them, so the
// validation alone would never see them. A map the contract declares
// (additionalProperties with a schema, such as metadata) has no unlisted
// keys, only values to walk.
func unlisted(s *openapi3.Schema, v any, path string) []finding {
	if s == nil {
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		props := properties(s)
		var extra *openapi3.Schema
		if ap := s.AdditionalProperties.Schema; ap != nil {
			extra = ap.Value
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var fs []finding
		for _, k := range keys {
			switch p, ok := props[k]; {
			case ok:
				fs = append(fs, unlisted(p, v[k], path+"."+k)...)
			case extra != nil:
				fs = append(fs, unlisted(extra, v[k], path+"[*]")...)
			case s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has:
				// Forbidden: the validation reported it as a violation.
			default:
				fs = append(fs, finding{Kind: kindAddition, Where: path + "." + k, What: "a property the contract does not list"})
			}
		}
		return fs
	case []any:
		if s.Items == nil {
			return nil
		}
		var fs []finding
		for i, item := range v {
			fs = append(fs, unlisted(s.Items.Value, item, path+"["+strconv.Itoa(i)+"]")...)
		}
		return fs
	}
	return nil
}

// properties are the properties s declares, its allOf's included.
func properties(s *openapi3.Schema) map[string]*openapi3.Schema {
	out := map[string]*openapi3.Schema{}
	for k, p := range s.Properties {
		out[k] = p.Value
	}
	for _, sub := range s.AllOf {
		for k, p := range properties(sub.Value) {
			out[k] = p
		}
	}
	return out
}

// index matches a list index in a JSON path.
var index = regexp.MustCompile(`\[\d+\]`)

// dedupe keeps the first of findings that differ only in a list index,
// counting them, violations first.
func dedupe(fs []finding) []finding {
	out := []finding{}
	seen := map[string]int{}
	for _, f := range fs {
		key := f.Kind + "\x00" + index.ReplaceAllString(f.Where, "[*]") + "\x00" + f.What
		if i, ok := seen[key]; ok {
			out[i].Count++
			continue
		}
		f.Count = 1
		seen[key] = len(out)
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Kind == kindViolation && out[j].Kind != kindViolation })
	return out
}
