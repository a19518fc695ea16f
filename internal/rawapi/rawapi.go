// Package rawapi is a plain net/http client of the Connected API for the
// tests of the fake and of the sandbox: requests as a client in any
// language sends them, answers read as JSON without the SDK, and the
// invariants every answer of the fake keeps (an X-Request-Id, fields in
// the API's order) checked on each.
package rawapi

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

	"github.com/dronline/connected-go/internal/canonjson"
)

// Client talks plain net/http to the API at a base URL with one key.
type Client struct {
	T    testing.TB
	Key  string
	HC   *http.Client
	base string // e.g. http://127.0.0.1:4321/v1
}

// NewClient is a client of the API at base (including /v1) with key ("" for
// none), whose idle connections close when the test ends.
func NewClient(t testing.TB, base, key string) *Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &Client{T: t, Key: key, HC: &http.Client{Transport: tr}, base: base}
}

// Response is an answer, its JSON body decoded when it has one.
type Response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// Str is the string at path in the body, or "".
func (r *Response) Str(path ...string) string {
	v := r.Get(path...)
	s, _ := v.(string)
	return s
}

// Get is the value at path in the body, or nil.
func (r *Response) Get(path ...string) any {
	var cur any = r.Body
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// Data is a list's items.
func (r *Response) Data() []map[string]any {
	items, _ := r.Body["data"].([]any)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i], _ = it.(map[string]any)
	}
	return out
}

// IDs are a list's items' ids.
func (r *Response) IDs() []string {
	var out []string
	for _, d := range r.Data() {
		out = append(out, d["id"].(string))
	}
	return out
}

// ErrCode asserts an error envelope and returns its code and param.
func (r *Response) ErrCode(t *testing.T) (code, param string) {
	t.Helper()
	require.NotNil(t, r.Body["error"], "expected an error envelope: %s", r.Raw)
	p, _ := r.Get("error", "param").(string)
	return r.Str("error", "code"), p
}

// Header is one request header.
type Header struct{ K, V string }

// Do sends a request; body is nil, []byte, a string, or a value sent as
// JSON.
func (c *Client) Do(method, path string, body any, headers ...Header) *Response {
	c.T.Helper()
	return c.DoCtx(context.Background(), method, path, body, headers...)
}

// DoCtx is Do with a context.
func (c *Client) DoCtx(ctx context.Context, method, path string, body any, headers ...Header) *Response {
	c.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(c.T, err)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	require.NoError(c.T, err)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	for _, h := range headers {
		req.Header.Set(h.K, h.V)
	}
	resp, err := c.HC.Do(req)
	require.NoError(c.T, err)
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.T, err)
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	// Invariants of every response of the fake.
	assert.True(c.T, strings.HasPrefix(resp.Header.Get("X-Request-Id"), "req_"), "X-Request-Id on %s %s", method, path)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(c.T, json.Unmarshal(raw, &out.Body), "body: %s", raw)
		canon, err := canonjson.Compact(raw)
		require.NoError(c.T, err)
		assert.Equal(c.T, string(canon), string(raw), "field order id, object, then A–Z")
	}
	return out
}

// Get sends a GET.
func (c *Client) Get(path string) *Response { c.T.Helper(); return c.Do(http.MethodGet, path, nil) }

// Post sends a POST, with an empty object for a nil body.
func (c *Client) Post(path string, body any, headers ...Header) *Response {
	c.T.Helper()
	if body == nil {
		body = map[string]any{}
	}
	return c.Do(http.MethodPost, path, body, headers...)
}

// Patient is a patient object with email.
func Patient(email string) map[string]any {
	return map[string]any{"first_name": "Jane", "last_name": "Doe", "email": email, "date_of_birth": "1986-04-12", "sex": "female", "phone": "+447700900123"}
}

// FirstSlot returns the first free slot matching the query.
func (c *Client) FirstSlot(query string) map[string]any {
	c.T.Helper()
	r := c.Get("/connected/slots?" + query)
	require.Equal(c.T, http.StatusOK, r.Status, "%s", r.Raw)
	require.NotEmpty(c.T, r.Data(), "no free slot for %q", query)
	return r.Data()[0]
}

// Hold holds a slot and returns the hold.
func (c *Client) Hold(slotID string, extra map[string]any) *Response {
	c.T.Helper()
	body := map[string]any{"slot_id": slotID}
	for k, v := range extra {
		body[k] = v
	}
	r := c.Post("/connected/appointment_holds", body)
	require.Equal(c.T, http.StatusOK, r.Status, "%s", r.Raw)
	return r
}

// Confirm confirms hold h with body (a default patient and payment
// reference when nil).
func (c *Client) Confirm(h *Response, body map[string]any, headers ...Header) *Response {
	c.T.Helper()
	if body == nil {
		body = map[string]any{"patient": Patient("jane@example.com"), "external_payment_reference": "pi_1"}
	}
	headers = append([]Header{{"X-Appointment-Hold-Token", h.Str("hold_token")}}, headers...)
	return c.Post("/connected/appointments/"+h.Str("appointment_id")+"/confirm", body, headers...)
}

// Book holds and confirms the first slot of the query.
func (c *Client) Book(query string) *Response {
	c.T.Helper()
	h := c.Hold(c.FirstSlot(query)["id"].(string), nil)
	r := c.Confirm(h, nil)
	require.Equal(c.T, http.StatusOK, r.Status, "%s", r.Raw)
	return r
}

// BookAt books the default catalogue's GP slot of prac_ahmed at start.
func (c *Client) BookAt(start time.Time) *Response {
	c.T.Helper()
	h := c.Hold("slot_aptype_gp15.prac_ahmed."+strconv.FormatInt(start.Unix(), 10), nil)
	r := c.Confirm(h, nil)
	require.Equal(c.T, http.StatusOK, r.Status, "%s", r.Raw)
	return r
}

// Reschedule moves appointment id to the slot of appointment type typ and
// practitioner prac at start.
func (c *Client) Reschedule(id string, start time.Time, typ, prac string) *Response {
	c.T.Helper()
	return c.Post("/connected/appointments/"+id+"/reschedule",
		map[string]any{"slot_id": "slot_" + typ + "." + prac + "." + strconv.FormatInt(start.Unix(), 10)})
}
