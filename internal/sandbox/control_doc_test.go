package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The control API answered in-process: handler, a request, its answer.
// The remote address is loopback unless a case says otherwise.
type docCall struct {
	method, path, body string
	remote             string
	token              string // sent as a Bearer token
	docPath            string // the document's path, when not path
	ifNoneMatch        string // sent as If-None-Match
}

func (c docCall) template() string {
	if c.docPath != "" {
		return c.docPath
	}
	p, _, _ := strings.Cut(c.path, "?")
	return p
}

func (c docCall) request() *http.Request {
	var body *bytes.Reader
	if c.body != "" {
		body = bytes.NewReader([]byte(c.body))
	} else {
		body = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(c.method, c.path, body)
	req.RemoteAddr = "127.0.0.1:40000"
	if c.remote != "" {
		req.RemoteAddr = c.remote
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.ifNoneMatch != "" {
		req.Header.Set("If-None-Match", c.ifNoneMatch)
	}
	return req
}

func (c docCall) String() string {
	b := c.body
	if len(b) > 80 {
		b = b[:80] + "…"
	}
	return strings.TrimSpace(c.method + " " + c.path + " " + b + " " + c.remote + " " + c.token)
}

// documentedStatuses is, for each operation of the served document, the
// statuses it lists.
func documentedStatuses(t *testing.T) (map[string][]int, *openapi3.T) {
	t.Helper()
	raw, err := servedSpec()
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)
	out := map[string][]int{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for code := range op.Responses.Map() {
				n, err := strconv.Atoi(code)
				require.NoError(t, err, "%s answers %q: a status, not a range or default", op.OperationID, code)
				out[op.OperationID] = append(out[op.OperationID], n)
			}
			slices.Sort(out[op.OperationID])
		}
	}
	return out, doc
}

// Every answer the control API gives, for every operation of its
// document, is a status the document lists for that operation, with a
// body the document describes; every status the document lists for an
// operation comes for some request; and a method a path does not list is
// 405 with the path's methods in Allow, in the error envelope.
func TestControlAnswersAreDocumented(t *testing.T) {
	want, doc := documentedStatuses(t)
	router, err := controlDoc()
	require.NoError(t, err)
	errorSchema := doc.Components.Schemas["Error"].Value

	s, _ := newControlServer(t)
	open := handler(s, "", newJournal(JournalLimits{Entries: 10}))
	locked := handler(s, "ctl-secret", newJournal(JournalLimits{Entries: 10}))

	seen := map[string]map[int]bool{}
	do := func(h http.Handler, c docCall, wantStatus int) {
		t.Helper()
		req := c.request()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		resp := w.Result()
		body := w.Body.Bytes()
		if !assert.Equal(t, wantStatus, resp.StatusCode, "%s: %s", c, body) {
			return
		}
		item := doc.Paths.Value(c.template())
		require.NotNil(t, item, "%s: a path of the document", c)
		if item.GetOperation(c.method) == nil {
			// Not an operation of the document: 405, as its description
			// says, with the path's methods in Allow.
			var methods []string
			for m := range item.Operations() {
				methods = append(methods, m)
			}
			allow := strings.Split(resp.Header.Get("Allow"), ", ")
			assert.ElementsMatch(t, methods, allow, "%s: Allow", c)
			var v any
			require.NoError(t, json.Unmarshal(body, &v), "%s", c)
			assert.NoError(t, errorSchema.VisitJSON(v), "%s: the error envelope: %s", c, body)
			return
		}
		vreq := c.request()
		route, params, err := router.FindRoute(vreq)
		require.NoError(t, err, "%s: a route of the document", c)
		in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
			Body: io.NopCloser(bytes.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		assert.NoError(t, openapi3filter.ValidateResponse(context.Background(), out), "%s answered %d %s", c, resp.StatusCode, body)
		id := route.Operation.OperationID
		if seen[id] == nil {
			seen[id] = map[int]bool{}
		}
		seen[id][resp.StatusCode] = true
	}

	// Every operation: closed to a caller beyond loopback without a
	// token (403), and to one without the token when there is one (401).
	for path, item := range doc.Paths.Map() {
		concrete := strings.ReplaceAll(path, "{fault_id}", "fault_x")
		for method := range item.Operations() {
			do(open, docCall{method: method, path: concrete, docPath: path, remote: "192.0.2.7:5000"}, http.StatusForbidden)
			do(locked, docCall{method: method, path: concrete, docPath: path}, http.StatusUnauthorized)
			do(locked, docCall{method: method, path: concrete, docPath: path, token: s.APIKey()}, http.StatusUnauthorized)
		}
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			if item.GetOperation(method) == nil {
				do(open, docCall{method: method, path: concrete, docPath: path}, http.StatusMethodNotAllowed)
			}
		}
	}

	// Every POST: a body over the limit (413), and one that is not JSON
	// (400).
	tooLarge := `{"pad": "` + strings.Repeat("a", maxBody) + `"}`
	for path, item := range doc.Paths.Map() {
		if item.Post != nil {
			do(open, docCall{method: http.MethodPost, path: path, body: tooLarge}, http.StatusRequestEntityTooLarge)
			do(open, docCall{method: http.MethodPost, path: path, body: "not json"}, http.StatusBadRequest)
		}
	}

	// What each operation answers otherwise.
	key := s.APIKey()
	created := httptest.NewRecorder()
	open.ServeHTTP(created, docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "path": "/connected/account"}`}.request())
	require.Equal(t, http.StatusCreated, created.Code, "%s", created.Body)
	var f struct{ ID string }
	require.NoError(t, json.Unmarshal(created.Body.Bytes(), &f))
	for _, tc := range []struct {
		call docCall
		want int
	}{
		{docCall{method: http.MethodGet, path: "/_sandbox/openapi.json"}, http.StatusOK},
		{docCall{method: http.MethodGet, path: "/_sandbox/clock"}, http.StatusOK},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance", body: `{"seconds": 1}`}, http.StatusOK},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance", body: `{"seconds": -1}`}, http.StatusBadRequest},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance"}, http.StatusBadRequest},
		{docCall{method: http.MethodGet, path: "/_sandbox/faults"}, http.StatusOK},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "delay", "delay_ms": 5, "count": 2, "probability": 0.5}`}, http.StatusCreated},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "status"}`}, http.StatusBadRequest},
		{docCall{method: http.MethodDelete, path: "/_sandbox/faults/" + f.ID, docPath: "/_sandbox/faults/{fault_id}"}, http.StatusNoContent},
		{docCall{method: http.MethodDelete, path: "/_sandbox/faults/" + f.ID, docPath: "/_sandbox/faults/{fault_id}"}, http.StatusNotFound},
		{docCall{method: http.MethodDelete, path: "/_sandbox/faults"}, http.StatusNoContent},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?limit=5&status=0&method=get"}, http.StatusOK},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?since=yesterday"}, http.StatusBadRequest},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?limit=0"}, http.StatusBadRequest},
		{docCall{method: http.MethodDelete, path: "/_sandbox/requests"}, http.StatusNoContent},
		{docCall{method: http.MethodGet, path: "/_sandbox/credentials"}, http.StatusOK},
		{docCall{method: http.MethodPost, path: "/_sandbox/credentials"}, http.StatusCreated},
		{docCall{method: http.MethodPost, path: "/_sandbox/credentials", body: `{"catalogue": {"timezone": "Mars/Base"}}`}, http.StatusBadRequest},
		{docCall{method: http.MethodGet, path: "/_sandbox/state?api_key=" + key}, http.StatusOK},
		{docCall{method: http.MethodGet, path: "/_sandbox/state"}, http.StatusBadRequest},
		{docCall{method: http.MethodGet, path: "/_sandbox/state?api_key=sk_sandbox_nobody"}, http.StatusNotFound},
		{docCall{method: http.MethodPost, path: "/_sandbox/reset", body: `{"clear_faults": true}`}, http.StatusOK},
		{docCall{method: http.MethodPost, path: "/_sandbox/reset", body: `{"clear_everything": true}`}, http.StatusBadRequest},
	} {
		do(open, tc.call, tc.want)
	}

	// The journal read again while nothing changed (304), and after an
	// entry it no longer holds (404).
	read := httptest.NewRecorder()
	open.ServeHTTP(read, docCall{method: http.MethodGet, path: "/_sandbox/requests"}.request())
	require.Equal(t, http.StatusOK, read.Code, "%s", read.Body)
	do(open, docCall{method: http.MethodGet, path: "/_sandbox/requests", ifNoneMatch: read.Header().Get("ETag")}, http.StatusNotModified)
	do(open, docCall{method: http.MethodGet, path: "/_sandbox/requests?after=req_gone"}, http.StatusNotFound)

	// Each status the document lists for an operation came.
	for id, statuses := range want {
		var got []int
		for st := range seen[id] {
			got = append(got, st)
		}
		slices.Sort(got)
		assert.Equal(t, statuses, got, "%s: the statuses the document lists, and those it answered", id)
	}
}

// The document and the handlers agree on input: a request the document
// allows is taken, and one it refuses is refused with 400, naming the
// field. What no schema can say (a fault's path must be a path of the
// API, a catalogue's timezone must exist) is in the document's words and
// left out here.
func TestControlDocumentAndHandlersAgreeOnInput(t *testing.T) {
	router, err := controlDoc()
	require.NoError(t, err)
	s, _ := newControlServer(t)
	h := handler(s, "", newJournal(JournalLimits{Entries: 10}))
	catalogue := `{"appointment_types": [{"id": "aptype_x", "name": "X", "duration_minutes": 15, "price_in_cents": 0}],
		"practitioners": [{"id": "prac_x", "name": "Dr X", "appointment_type_ids": ["aptype_x"],
		"working_hours": [{"weekday": "monday", "start": "09:00", "end": "17:00"}]}]}`

	for _, tc := range []struct {
		call  docCall
		param string // the field a refusal names; "" when the document allows the call
	}{
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance", body: `{"seconds": 1}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance", body: `{"seconds": 0.5}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance", body: `{"seconds": 0}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance"}, "seconds"},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance", body: `{}`}, "seconds"},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance", body: `{"seconds": -1}`}, "seconds"},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance", body: `{"seconds": 315360001}`}, "seconds"},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance", body: `{"seconds": "ten"}`}, "seconds"},
		{docCall{method: http.MethodPost, path: "/_sandbox/clock/advance", body: `{"seconds": 1, "minutes": 2}`}, "minutes"},

		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop"}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "lost_response", "method": "POST", "path": "/connected/appointments/{appointment_id}/confirm"}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "status", "status": 503}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "status", "status": 429, "retry_after_seconds": 0}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "delay", "delay_ms": 0}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "delay", "delay_ms": 600000, "count": 1000000, "probability": 1}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "delay_ms": 5, "probability": 0.25}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "status", "status": 500, "delay_ms": 5}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{}`}, "kind"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "hang"}`}, "kind"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "status"}`}, "status"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "status", "status": 399}`}, "status"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "status", "status": 600}`}, "status"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "status", "status": 503.5}`}, "status"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "status", "status": 503, "retry_after_seconds": -1}`}, "retry_after_seconds"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "status": 503}`}, "status"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "delay", "delay_ms": 1, "retry_after_seconds": 3}`}, "retry_after_seconds"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "delay"}`}, "delay_ms"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "delay", "delay_ms": 600001}`}, "delay_ms"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "delay", "delay_ms": -1}`}, "delay_ms"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "method": "get"}`}, "method"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "method": "HEAD"}`}, "method"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "count": 0}`}, "count"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "count": 1000001}`}, "count"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "probability": 0}`}, "probability"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "probability": 1.5}`}, "probability"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "times": 2}`}, "times"},
		// null is no member's value: an optional one is left out.
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "drop", "count": null}`}, "count"},
		{docCall{method: http.MethodPost, path: "/_sandbox/faults", body: `{"kind": "status", "status": 503, "retry_after_seconds": null}`}, "retry_after_seconds"},

		{docCall{method: http.MethodPost, path: "/_sandbox/credentials"}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/credentials", body: `{}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/credentials", body: `{"catalogue": ` + catalogue + `}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/credentials", body: `{"catalogue": {"appointment_types": [], "practitioners": []}}`}, "catalogue.appointment_types"},
		{docCall{method: http.MethodPost, path: "/_sandbox/credentials", body: `{"catalogue": {"practitioners": []}}`}, "catalogue.appointment_types"},
		{docCall{method: http.MethodPost, path: "/_sandbox/credentials", body: `{"key": "sk_sandbox_mine"}`}, "key"},
		{docCall{method: http.MethodPost, path: "/_sandbox/credentials", body: `{"catalogue": null}`}, "catalogue"},
		{docCall{method: http.MethodPost, path: "/_sandbox/credentials", body: `{"catalogue": {"timezone": null, "appointment_types": [], "practitioners": []}}`}, "catalogue.timezone"},

		{docCall{method: http.MethodPost, path: "/_sandbox/reset"}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/reset", body: `{}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/reset", body: `{"rewind_clock": true, "clear_faults": true, "clear_journal": false}`}, ""},
		{docCall{method: http.MethodPost, path: "/_sandbox/reset", body: `{"rewind_clock": "yes"}`}, "rewind_clock"},
		{docCall{method: http.MethodPost, path: "/_sandbox/reset", body: `{"clear_credentials": true}`}, "clear_credentials"},
		{docCall{method: http.MethodPost, path: "/_sandbox/reset", body: `{"rewind_clock": null}`}, "rewind_clock"},

		{docCall{method: http.MethodGet, path: "/_sandbox/requests"}, ""},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?limit=1000&status=0&since=2026-11-23T08:00:00Z&method=POST&path=/connected/account&idempotency_key=k"}, ""},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?status=599"}, ""},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?limit=0"}, "limit"},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?limit=1001"}, "limit"},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?limit=ten"}, "limit"},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?status=600"}, "status"},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?status=-1"}, "status"},
		{docCall{method: http.MethodGet, path: "/_sandbox/requests?since=yesterday"}, "since"},

		{docCall{method: http.MethodGet, path: "/_sandbox/state?api_key=" + s.APIKey()}, ""},
		{docCall{method: http.MethodGet, path: "/_sandbox/state"}, "api_key"},
	} {
		vreq := tc.call.request()
		route, params, err := router.FindRoute(vreq)
		require.NoError(t, err, "%s", tc.call)
		docErr := openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
			Request: vreq, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, tc.call.request())
		if tc.param == "" {
			assert.NoError(t, docErr, "%s: the document allows it", tc.call)
			assert.Less(t, w.Code, 300, "%s: the handler takes it: %s", tc.call, w.Body)
			continue
		}
		assert.Error(t, docErr, "%s: the document refuses it", tc.call)
		if assert.Equal(t, http.StatusBadRequest, w.Code, "%s: the handler refuses it: %s", tc.call, w.Body) {
			var e struct{ Error struct{ Param string } }
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &e))
			assert.Equal(t, tc.param, e.Error.Param, "%s: the field named", tc.call)
		}
	}
}
