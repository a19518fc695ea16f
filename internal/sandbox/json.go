package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
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
// naming the field that is wrong. An empty body is an empty object.
func decodeBody(r *http.Request, v any) *apiError {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return errParamInvalid(te.Field, "must be "+jsonKind(te.Type.Kind().String()))
		}
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return errBodyTooLarge()
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
