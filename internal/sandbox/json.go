package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// maxBody bounds a control request's body, as the API bounds its own.
const maxBody = 1 << 20

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		errInternal().write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// decodeBody reads r's JSON object into v, refusing unknown members and
// null members (the document allows none in a request: an optional
// member is left out), and naming the field that is wrong. An empty body
// is an empty object.
func decodeBody(r *http.Request, v any) *apiError {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &mb):
		return errBodyTooLarge()
	case err != nil:
		return errParamInvalid("", "the body could not be read")
	case len(bytes.TrimSpace(body)) == 0:
		return nil
	}
	var doc any
	if json.Unmarshal(body, &doc) == nil {
		if doc == nil {
			return errParamInvalid("", "the body is not a JSON object")
		}
		if p, ok := nullMember(doc, ""); ok {
			return errParamInvalid(p, "must not be null: leave it out to take its default")
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return errParamInvalid(te.Field, "must be "+jsonKind(te.Type.Kind().String()))
		}
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return errParamInvalid(strings.Trim(f, `"`), "unknown field")
		}
		return errParamInvalid("", "the body is not a JSON object")
	}
	return nil
}

// list is the API's list envelope.
type list[T any] struct {
	Object  string `json:"object"`
	Data    []T    `json:"data"`
	HasMore bool   `json:"has_more"`
	URL     string `json:"url"`
}

func newList[T any](url string, data []T) list[T] {
	if data == nil {
		data = []T{}
	}
	return list[T]{Object: "list", Data: data, URL: url}
}

// orNull is s as a nullable member: nil (null) when s is "".
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nullMember is the first member of v (in key order), at any depth, whose
// value is null, named as the control API names fields
// ("catalogue.practitioners[0].title").
func nullMember(v any, path string) (string, bool) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if x[k] == nil {
				return p, true
			}
			if q, ok := nullMember(x[k], p); ok {
				return q, true
			}
		}
	case []any:
		for i, e := range x {
			p := path + "[" + strconv.Itoa(i) + "]"
			if e == nil {
				return p, true
			}
			if q, ok := nullMember(e, p); ok {
				return q, true
			}
		}
	}
	return "", false
}
