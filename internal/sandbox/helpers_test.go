package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/internal/canonjson"
)

// The helpers below drive a connectedtest.Server over plain net/http, as
// the control API's users do.

// sandboxPrefix starts every sandbox API key.
const sandboxPrefix = "sk_sandbox_"

// monday is a Monday 08:00 in winter, so Europe/London equals UTC and the
// first working hours of the day are still ahead.
func monday() time.Time { return time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) }

// newTestServer starts a server with spec validation on and checks, when
// the test ends, that no exchange violated the contract.
func newTestServer(t *testing.T, opts ...connectedtest.Option) *connectedtest.Server {
	t.Helper()
	s := connectedtest.NewServer(append([]connectedtest.Option{connectedtest.WithStartTime(monday()), connectedtest.WithSpecValidation(true)}, opts...)...)
	t.Cleanup(func() {
		s.Close()
		assert.Empty(t, s.SpecViolations(), "every exchange must validate against the spec")
	})
	return s
}

// client talks plain net/http to a server with one key.
type client struct {
	t   testing.TB
	s   *connectedtest.Server
	key string
	hc  *http.Client
}

func newClient(t testing.TB, s *connectedtest.Server, key string) *client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{t: t, s: s, key: key, hc: &http.Client{Transport: tr}}
}

type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r *response) str(path ...string) string {
	v := r.get(path...)
	s, _ := v.(string)
	return s
}

func (r *response) get(path ...string) any {
	var cur any = r.body
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func (r *response) data() []map[string]any {
	items, _ := r.body["data"].([]any)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i], _ = it.(map[string]any)
	}
	return out
}

func (r *response) ids() []string {
	var out []string
	for _, d := range r.data() {
		out = append(out, d["id"].(string))
	}
	return out
}

// errCode asserts an error envelope and returns its code and param.
func (r *response) errCode(t *testing.T) (code, param string) {
	t.Helper()
	require.NotNil(t, r.body["error"], "expected an error envelope: %s", r.raw)
	p, _ := r.get("error", "param").(string)
	return r.str("error", "code"), p
}

type header struct{ k, v string }

func (c *client) do(method, path string, body any, headers ...header) *response {
	c.t.Helper()
	return c.doCtx(context.Background(), method, path, body, headers...)
}

func (c *client) doCtx(ctx context.Context, method, path string, body any, headers ...header) *response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(c.t, err)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.s.URL()+path, rd)
	require.NoError(c.t, err)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	for _, h := range headers {
		req.Header.Set(h.k, h.v)
	}
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	out := &response{status: resp.StatusCode, header: resp.Header, raw: raw}
	// Invariants of every response of the fake.
	assert.True(c.t, strings.HasPrefix(resp.Header.Get("X-Request-Id"), "req_"), "X-Request-Id on %s %s", method, path)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(c.t, json.Unmarshal(raw, &out.body), "body: %s", raw)
		canon, err := canonjson.Compact(raw)
		require.NoError(c.t, err)
		assert.Equal(c.t, string(canon), string(raw), "field order id, object, then A–Z")
	}
	return out
}

func (c *client) get(path string) *response { c.t.Helper(); return c.do(http.MethodGet, path, nil) }

func (c *client) post(path string, body any, headers ...header) *response {
	c.t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	return c.do(http.MethodPost, path, body, headers...)
}

func patient(email string) map[string]any {
	return map[string]any{"first_name": "Jane", "last_name": "Doe", "email": email, "date_of_birth": "1986-04-12", "sex": "female", "phone": "+447700900123"}
}

// firstSlot returns the first free slot matching the query.
func (c *client) firstSlot(query string) map[string]any {
	c.t.Helper()
	r := c.get("/connected/slots?" + query)
	require.Equal(c.t, http.StatusOK, r.status, "%s", r.raw)
	require.NotEmpty(c.t, r.data(), "no free slot for %q", query)
	return r.data()[0]
}

// hold holds a slot and returns the hold.
func (c *client) hold(slotID string, extra map[string]any) *response {
	c.t.Helper()
	body := map[string]any{"slot_id": slotID}
	for k, v := range extra {
		body[k] = v
	}
	r := c.post("/connected/appointment_holds", body)
	require.Equal(c.t, http.StatusOK, r.status, "%s", r.raw)
	return r
}

func (c *client) confirm(h *response, body map[string]any, headers ...header) *response {
	c.t.Helper()
	if body == nil {
		body = map[string]any{"patient": patient("jane@example.com"), "external_payment_reference": "pi_1"}
	}
	headers = append([]header{{"X-Appointment-Hold-Token", h.str("hold_token")}}, headers...)
	return c.post("/connected/appointments/"+h.str("appointment_id")+"/confirm", body, headers...)
}

// book holds and confirms the first slot of the query.
func (c *client) book(query string) *response {
	c.t.Helper()
	h := c.hold(c.firstSlot(query)["id"].(string), nil)
	r := c.confirm(h, nil)
	require.Equal(c.t, http.StatusOK, r.status, "%s", r.raw)
	return r
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// bookAt books prac_ahmed's gp15 slot at start.
func (c *client) bookAt(start time.Time) *response {
	c.t.Helper()
	h := c.hold("slot_aptype_gp15.prac_ahmed."+itoa(start.Unix()), nil)
	r := c.confirm(h, nil)
	require.Equal(c.t, http.StatusOK, r.status, "%s", r.raw)
	return r
}

func reschedule(c *client, id string, start time.Time, typ, prac string) *response {
	return c.post("/connected/appointments/"+id+"/reschedule", map[string]any{"slot_id": "slot_" + typ + "." + prac + "." + itoa(start.Unix())})
}

// freshClient never reuses a connection: net/http silently retries a
// request that was dropped on a reused connection when it is idempotent
// (a GET, or a POST with an Idempotency-Key), which would hide the fault.
func freshClient(t *testing.T) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}
