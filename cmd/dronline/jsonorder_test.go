package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/internal/canonjson"
)

// --json prints each object in the API's field order — "id", "object",
// then the other keys A–Z — at every depth, as the README says.

// requireAPIOrder walks doc token by token and fails at the first object
// whose keys are not in the API's order. It is written independently of
// internal/canonjson, so it does not just agree with itself.
func requireAPIOrder(t *testing.T, doc string) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(doc))
	var walk func(path string)
	walk = func(path string) {
		tok, err := dec.Token()
		require.NoError(t, err)
		switch tok {
		case json.Delim('{'):
			var keys []string
			for dec.More() {
				k, err := dec.Token()
				require.NoError(t, err)
				keys = append(keys, k.(string))
				walk(path + "." + k.(string))
			}
			_, err := dec.Token()
			require.NoError(t, err)
			rank := func(k string) string {
				switch k {
				case "id":
					return "0"
				case "object":
					return "1"
				}
				return "2" + k
			}
			for i := 1; i < len(keys); i++ {
				require.Less(t, rank(keys[i-1]), rank(keys[i]), "keys of %s out of order: %v", path, keys)
			}
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				walk(path + "[]")
			}
			_, err := dec.Token()
			require.NoError(t, err)
		}
	}
	walk("$")
}

// rawObject fetches what the API itself sends for path, straight from the
// fake, and formats it as --json must print it.
func (f *fake) rawObject(t *testing.T, path string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, f.srv.URL()+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.srv.APIKey())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out, err := canonjson.Indent(body)
	require.NoError(t, err)
	return string(out)
}

func TestJSONOutputIsInTheAPIsFieldOrder(t *testing.T) {
	f := newFake(t)
	booked := f.book(t, "aptype_derm20", "order")
	slot := f.slotAhead(t, "aptype_gp15")
	for _, args := range [][]string{
		{"account"},
		{"appointment-types", "list"},
		{"practitioners", "list", "--limit", "2"},
		{"slots", "list", "--limit", "2"},
		{"slots", "validate", slot.ID},
		{"appointments", "get", booked.ID},
		{"appointments", "list"},
		{"patients", "get", booked.Patient.ID},
		{"questionnaires", "get", "--appointment", booked.ID},
		append([]string{"holds", "create", "--slot", slot.ID, "--metadata", "order_id=ord_1"}, patientArgs...),
	} {
		out := runOK(t, f.env, append(args, "--json")...)
		requireAPIOrder(t, out)
	}
}

// Exactly: a single object prints as the API sent it, byte for byte once
// both are in the canonical layout (nested objects, nulls and all).
func TestJSONOutputIsTheAPIsObject(t *testing.T) {
	f := newFake(t)
	booked := f.book(t, "aptype_derm20", "exact")
	for path, args := range map[string][]string{
		"/connected/account":                                   {"account"},
		"/connected/appointments/" + booked.ID:                 {"appointments", "get", booked.ID},
		"/connected/patients/" + booked.Patient.ID:             {"patients", "get", booked.Patient.ID},
		"/connected/questionnaires/" + *booked.QuestionnaireID: {"questionnaires", "get", *booked.QuestionnaireID},
	} {
		out := runOK(t, f.env, append(args, "--json")...)
		assert.Equal(t, f.rawObject(t, path), out, "%v", args)
	}
	// A list prints its items as the API's page holds them.
	out := runOK(t, f.env, "appointment-types", "list", "--json")
	var page struct {
		Data []json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(f.rawObject(t, "/connected/appointment_types?limit=100")), &page))
	var items bytes.Buffer
	items.WriteString("[")
	for i, it := range page.Data {
		if i > 0 {
			items.WriteString(",")
		}
		items.Write(it)
	}
	items.WriteString("]")
	want, err := canonjson.Indent(items.Bytes())
	require.NoError(t, err)
	assert.Equal(t, string(want), out)
}
