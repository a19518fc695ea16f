package connected_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// videoSession is the object of the rehearsal's new endpoint
// (scripts/rehearsal/testdata/additive-endpoint.json), which this SDK has
// no method for: POST /connected/appointments/{appointment_id}/video_session.
type videoSession struct {
	ID            string    `json:"id"`
	Object        string    `json:"object"`
	AppointmentID string    `json:"appointment_id"`
	JoinURL       string    `json:"join_url"`
	ExpiresAt     time.Time `json:"expires_at"`
}

// rawServer is a plain loopback server that answers each attempt from a
// script and records what arrived.
type rawServer struct {
	mu       sync.Mutex
	requests []*http.Request
	bodies   []string
	script   []func(w http.ResponseWriter, r *http.Request)
	url      string
}

func newRawServer(t *testing.T, script ...func(w http.ResponseWriter, r *http.Request)) *rawServer {
	t.Helper()
	s := &rawServer{script: script}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.requests)
		s.requests = append(s.requests, r.Clone(context.Background()))
		s.bodies = append(s.bodies, string(body))
		s.mu.Unlock()
		w.Header().Set("X-Request-Id", fmt.Sprintf("req_%d", n+1))
		s.script[min(n, len(s.script)-1)](w, r)
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL + "/v1"
	return s
}

func (s *rawServer) seen() ([]*http.Request, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.requests...), append([]string(nil), s.bodies...)
}

func answer(status int, body string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func rawClient(t *testing.T, base string, opts ...connected.ClientOption) *connected.Client {
	t.Helper()
	c, err := connected.NewClient(testKey, append([]connected.ClientOption{connected.WithBaseURL(base), connected.WithoutJitter(),
		connected.WithWaitFunc(func(context.Context, time.Duration) error { return nil })}, opts...)...)
	require.NoError(t, err)
	return c
}

// The rehearsal's new endpoint, called through Do: path parameter, query,
// JSON body, retry with one idempotency key, response info, a log line per
// attempt with the template and never the id, the query or the key.
func TestDoCallsAnOperationTheSDKHasNoMethodFor(t *testing.T) {
	srv := newRawServer(t,
		answer(503, `{"error":{"type":"api_error","code":"service_unavailable","message":"m"}}`),
		answer(200, `{"id":"vs_1","object":"video_session","appointment_id":"apt_7Zq","join_url":"https://video.example/j/1","expires_at":"2030-01-10T08:30:00Z"}`))
	logs := &lockedBuffer{}
	c := rawClient(t, srv.url, connected.WithLogger(slog.New(slog.NewJSONHandler(logs, nil))))

	var out videoSession
	var info connected.ResponseInfo
	err := c.Do(context.Background(), http.MethodPost, "/connected/appointments/{appointment_id}/video_session",
		&connected.RawParams{
			Path:   map[string]string{"appointment_id": "apt_7Zq"},
			Query:  url.Values{"locale": {"en-GB"}},
			Header: http.Header{"x-partner-trace": {"trace-9"}},
		},
		map[string]any{"expires_in_minutes": 30}, &out, connected.WithResponseInfo(&info))
	require.NoError(t, err)

	assert.Equal(t, videoSession{ID: "vs_1", Object: "video_session", AppointmentID: "apt_7Zq", JoinURL: "https://video.example/j/1",
		ExpiresAt: time.Date(2030, 1, 10, 8, 30, 0, 0, time.UTC)}, out)
	assert.Equal(t, 2, info.Attempts)
	assert.Equal(t, 200, info.StatusCode)
	assert.Equal(t, "req_2", info.RequestID)
	require.NotEmpty(t, info.IdempotencyKey)

	reqs, bodies := srv.seen()
	require.Len(t, reqs, 2)
	for i, r := range reqs {
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, "/v1/connected/appointments/apt_7Zq/video_session", r.URL.Path)
		assert.Equal(t, "locale=en-GB", r.URL.RawQuery)
		assert.Equal(t, info.IdempotencyKey, r.Header.Get("Idempotency-Key"), "attempt %d: one key for every retry", i+1)
		assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Equal(t, "trace-9", r.Header.Get("X-Partner-Trace"))
		assert.JSONEq(t, `{"expires_in_minutes":30}`, bodies[i])
	}

	lines := logs.lines(t)
	require.Len(t, lines, 2)
	for _, l := range lines {
		assert.Equal(t, "/connected/appointments/{appointment_id}/video_session", l["path"])
		assert.Equal(t, "POST", l["method"])
	}
	assert.Equal(t, true, lines[0]["retry"])
	for _, secret := range []string{"apt_7Zq", "en-GB", "trace-9", testKey, info.IdempotencyKey, "expires_in_minutes"} {
		assert.NotContains(t, logs.String(), secret)
	}
}

// An error is the SDK's *Error, with a code this SDK may not know kept as
// sent, and the retry policy of every method: a 409 is final.
func TestDoTypedErrors(t *testing.T) {
	srv := newRawServer(t, answer(409, `{"error":{"type":"invalid_request_error","code":"video_session_unavailable","message":"Not yet.","param":null}}`))
	c := rawClient(t, srv.url)
	err := c.Do(context.Background(), http.MethodPost, "/connected/appointments/{appointment_id}/video_session",
		&connected.RawParams{Path: map[string]string{"appointment_id": "apt_1"}}, nil, nil)
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, connected.ErrorCode("video_session_unavailable"), apiErr.Code)
	assert.Equal(t, connected.ErrorTypeInvalidRequest, apiErr.Type)
	assert.Equal(t, 409, apiErr.StatusCode)
	assert.Equal(t, "req_1", apiErr.RequestID)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.NotEmpty(t, apiErr.IdempotencyKey)
	assert.False(t, apiErr.Ambiguous, "the server's considered answer")
	reqs, bodies := srv.seen()
	require.Len(t, reqs, 1)
	assert.Empty(t, bodies[0], "no body given, none sent")
	assert.Empty(t, reqs[0].Header.Get("Content-Type"))
}

// A GET carries no idempotency key and is retried; WithIdempotencyKey
// names the key of a write, and a 404 is ErrNotFound.
func TestDoGetAndOwnKey(t *testing.T) {
	srv := newRawServer(t,
		answer(502, `{"error":{"type":"api_error","code":"internal_error","message":"m"}}`),
		answer(404, `{"error":{"type":"invalid_request_error","code":"resource_missing","message":"m","param":"appointment_id"}}`),
		answer(200, `{"ok":true}`))
	c := rawClient(t, srv.url)
	err := c.Do(context.Background(), http.MethodGet, "/connected/appointments/{appointment_id}",
		&connected.RawParams{Path: map[string]string{"appointment_id": "apt_1"}}, nil, nil)
	assert.ErrorIs(t, err, connected.ErrNotFound)

	var out map[string]any
	require.NoError(t, c.Do(context.Background(), http.MethodPost, "/connected/things", nil, json.RawMessage(`{"a": 1}`), &out,
		connected.WithIdempotencyKey("order-42")))
	assert.Equal(t, map[string]any{"ok": true}, out)

	reqs, bodies := srv.seen()
	require.Len(t, reqs, 3)
	assert.Empty(t, reqs[0].Header.Get("Idempotency-Key"))
	assert.Empty(t, reqs[1].Header.Get("Idempotency-Key"))
	assert.Equal(t, "/v1/connected/appointments/apt_1", reqs[1].URL.Path)
	assert.Equal(t, "order-42", reqs[2].Header.Get("Idempotency-Key"))
	assert.Equal(t, `{"a":1}`, bodies[2])
}

// An operation that answers 204 No Content, with no body and no content
// type, succeeds through Do with out nil; a caller that expected an object
// is told none came, never handed a zero value.
func TestDoNoContent(t *testing.T) {
	srv := newRawServer(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	c := rawClient(t, srv.url)
	var info connected.ResponseInfo
	require.NoError(t, c.Do(context.Background(), http.MethodPost, "/connected/things", nil, nil, nil, connected.WithResponseInfo(&info)))
	assert.Equal(t, http.StatusNoContent, info.StatusCode)
	var out map[string]any
	err := c.Do(context.Background(), http.MethodPost, "/connected/things", nil, nil, &out)
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNoContent, apiErr.StatusCode)
}

// Bad input is refused before sending, with Param naming what is wrong.
func TestDoRefusesBadInputBeforeSending(t *testing.T) {
	srv := newRawServer(t, answer(200, `{}`))
	c := rawClient(t, srv.url)
	appt := func(v string) *connected.RawParams {
		return &connected.RawParams{Path: map[string]string{"appointment_id": v}}
	}
	for _, tc := range []struct {
		name, method, path string
		params             *connected.RawParams
		body               any
		param              string
	}{
		{"unknown method", "TRACE", "/connected/account", nil, nil, "method"},
		{"lowercase method", "get", "/connected/account", nil, nil, "method"},
		{"relative path", "GET", "connected/account", nil, nil, "path"},
		{"absolute URL", "GET", "https://elsewhere.example/connected/account", nil, nil, "path"},
		{"query in the path", "GET", "/connected/appointments?limit=1", nil, nil, "path"},
		{"dot", "GET", "/connected/./account", nil, nil, "path"},
		{"scheme-relative URL", "GET", "//elsewhere.example/connected/account", nil, nil, "path"},
		{"escaped segment", "GET", "/connected/apt%2F5RtY7uIo", nil, nil, "path"},
		{"brace in a literal", "GET", "/connected/a{b}", nil, nil, "path"},
		{"space in a literal", "GET", "/connected/v2 reports", nil, nil, "path"},
		{"fragment in the path", "GET", "/connected/account#x", nil, nil, "path"},
		{"dot segment", "GET", "/connected/../account", nil, nil, "path"},
		{"empty segment", "GET", "/connected//account", nil, nil, "path"},
		{"trailing slash", "GET", "/connected/account/", nil, nil, "path"},
		{"bad parameter name", "GET", "/connected/appointments/{Appointment ID}", nil, nil, "path"},
		{"missing value", "GET", "/connected/appointments/{appointment_id}", nil, nil, "appointment_id"},
		{"value that changes the path", "GET", "/connected/appointments/{appointment_id}", appt("../account"), nil, "appointment_id"},
		{"empty value", "GET", "/connected/appointments/{appointment_id}", appt(""), nil, "appointment_id"},
		{"value for no segment", "GET", "/connected/account", appt("apt_1"), nil, "params.Path[appointment_id]"},
		{"GET with a body", "GET", "/connected/account", nil, map[string]string{"a": "b"}, "body"},
		{"bytes body", "POST", "/connected/things", nil, []byte(`{}`), "body"},
		{"reader body", "POST", "/connected/things", nil, strings.NewReader(`{}`), "body"},
		{"unencodable body", "POST", "/connected/things", nil, map[string]any{"f": func() {}}, "body"},
		{"authorization header", "GET", "/connected/account", &connected.RawParams{Header: http.Header{"authorization": {"Bearer x"}}}, nil, "header Authorization"},
		{"idempotency header", "POST", "/connected/things", &connected.RawParams{Header: http.Header{"Idempotency-Key": {"k"}}}, nil, "header Idempotency-Key"},
		{"control character", "GET", "/connected/account", &connected.RawParams{Header: http.Header{"X-Trace": {"a\nb"}}}, nil, "header X-Trace"},
		{"bad header name", "GET", "/connected/account", &connected.RawParams{Header: http.Header{"X Trace": {"a"}}}, nil, "header name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := c.Do(context.Background(), tc.method, tc.path, tc.params, tc.body, nil)
			if strings.HasPrefix(tc.param, "header") {
				// A header the SDK owns, or no header at all: the
				// program's mistake, not a request the API could refuse.
				var cfgErr *connected.ConfigError
				require.ErrorAs(t, err, &cfgErr)
				assert.Equal(t, tc.param, cfgErr.Setting)
				assert.NotErrorIs(t, err, connected.ErrInvalidRequest)
				return
			}
			var apiErr *connected.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.param, apiErr.Param)
			assert.Contains(t, apiErr.Message, strings.TrimPrefix(tc.param, "header "))
			assert.Zero(t, apiErr.StatusCode)
			assert.ErrorIs(t, err, connected.ErrInvalidRequest)
			assert.NotContains(t, err.Error(), "5RtY7uIo", "a refused segment is not echoed")
		})
	}
	reqs, _ := srv.seen()
	assert.Empty(t, reqs, "nothing was sent")
}

// A literal segment may hold whatever a URL path carries unescaped (RFC
// 3986 pchar without '%'): a future operation's path with digits, capitals
// or sub-delimiters reaches the server as written, below the base URL.
func TestDoAcceptsEveryUnescapedLiteralSegment(t *testing.T) {
	srv := newRawServer(t, answer(200, `{}`))
	c := rawClient(t, srv.url)
	id := func(name, v string) *connected.RawParams {
		return &connected.RawParams{Path: map[string]string{name: v}}
	}
	cases := []struct {
		path   string
		params *connected.RawParams
		sent   string
	}{
		{"/connected/v2_reports/{report_id}", id("report_id", "rep_1"), "/v1/connected/v2_reports/rep_1"},
		{"/connected/oauth2/token", nil, "/v1/connected/oauth2/token"},
		{"/connected/appointments/{appointment_id}/3ds", id("appointment_id", "apt_1"), "/v1/connected/appointments/apt_1/3ds"},
		{"/connected/Reports/2026-12", nil, "/v1/connected/Reports/2026-12"},
		{"/connected/a.b~c/x:y@z/!$&'()*+,;=", nil, "/v1/connected/a.b~c/x:y@z/!$&'()*+,;="},
	}
	for _, tc := range cases {
		require.NoError(t, c.Do(context.Background(), http.MethodGet, tc.path, tc.params, nil, nil), tc.path)
	}
	reqs, _ := srv.seen()
	require.Len(t, reqs, len(cases))
	for i, r := range reqs {
		assert.Equal(t, cases[i].sent, r.URL.EscapedPath())
	}
}

// The key goes only where every method sends it: the client's base URL.
func TestDoStaysOnTheBaseURL(t *testing.T) {
	srv := newRawServer(t, answer(200, `{}`))
	c := rawClient(t, srv.url)
	err := c.Do(context.Background(), http.MethodGet, "/connected/account", nil, nil, nil,
		connected.WithBaseURL("http://elsewhere.example/v1"))
	var cfgErr *connected.ConfigError
	require.ErrorAs(t, err, &cfgErr, "plain http off loopback is refused for Do as for every method")
	assert.Equal(t, "base URL", cfgErr.Setting)
	reqs, _ := srv.seen()
	assert.Empty(t, reqs)
}
