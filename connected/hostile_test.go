package connected_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// canned is a server that answers every request with one response the
// test chooses, however broken, and counts what arrived.
type canned struct {
	srv   *httptest.Server
	tr    *http.Transport
	mu    sync.Mutex
	resp  cannedResponse
	count atomic.Int64
}

type cannedResponse struct {
	status      int
	contentType string
	body        []byte
}

func newCanned(tb testing.TB) *canned {
	tb.Helper()
	c := &canned{tr: &http.Transport{}}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		c.count.Add(1)
		c.mu.Lock()
		r := c.resp
		c.mu.Unlock()
		if r.contentType != "" {
			w.Header().Set("Content-Type", r.contentType)
		}
		w.WriteHeader(r.status)
		_, _ = w.Write(r.body)
	}))
	tb.Cleanup(func() {
		c.srv.Close()
		c.tr.CloseIdleConnections()
	})
	return c
}

func (c *canned) answer(status int, contentType string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.resp = cannedResponse{status, contentType, body}
}

func (c *canned) client(tb testing.TB, opts ...connected.ClientOption) *connected.Client {
	tb.Helper()
	base := []connected.ClientOption{connected.WithBaseURL(c.srv.URL + "/v1"), connected.WithMaxRetries(0),
		connected.WithHTTPClient(&http.Client{Transport: c.tr})}
	cl, err := connected.NewClient(testKey, append(base, opts...)...)
	require.NoError(tb, err)
	return cl
}

// everyCall calls every method of every resource once and reports, for
// each, whether it returned a value, and its error.
func everyCall(ctx context.Context, c *connected.Client) map[string]error {
	out := map[string]error{}
	p := connected.PatientInput{FirstName: "A", LastName: "B", Email: "a@example.com", Sex: connected.SexOther}
	p.DateOfBirth, _ = connected.ParseDate("1990-01-02")
	typ := "aptype_x"
	check := func(name string, ok bool, err error) {
		if err == nil && !ok {
			err = errors.New("nil value without an error")
		}
		out[name] = err
	}
	a, err := c.Account.Get(ctx)
	check("account", a != nil, err)
	at, err := c.AppointmentTypes.List(ctx, nil)
	check("appointment types", at != nil, err)
	pr, err := c.Practitioners.List(ctx, nil)
	check("practitioners", pr != nil, err)
	sl, err := c.Slots.List(ctx, &connected.SlotListParams{AppointmentTypeID: &typ})
	check("slots", sl != nil, err)
	sv, err := c.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: "slot_1"})
	check("slot validate", sv != nil, err)
	h, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: "slot_1", Patient: &p})
	check("hold", h != nil, err)
	ap, err := c.Appointments.Confirm(ctx, "apt_1", "aht_1", &connected.ConfirmParams{Patient: p, ExternalPaymentReference: "pi_1"})
	check("confirm", ap != nil, err)
	ap, err = c.Appointments.Get(ctx, "apt_1")
	check("appointment", ap != nil, err)
	al, err := c.Appointments.List(ctx, nil)
	check("appointments", al != nil, err)
	ap, err = c.Appointments.Cancel(ctx, "apt_1")
	check("cancel", ap != nil, err)
	ap, err = c.Appointments.Reschedule(ctx, "apt_1", &connected.RescheduleParams{SlotID: "slot_2"})
	check("reschedule", ap != nil, err)
	pa, err := c.Patients.Get(ctx, "pat_1")
	check("patient", pa != nil, err)
	q, err := c.Questionnaires.Get(ctx, "q_1")
	check("questionnaire", q != nil, err)
	q, err = c.Questionnaires.GetForAppointment(ctx, "apt_1")
	check("appointment questionnaire", q != nil, err)
	var n int
	for _, err := range c.Appointments.All(ctx, nil) {
		if n++; err != nil || n > 1000 {
			check("all appointments", true, err)
			break
		}
	}
	return out
}

// requireTyped fails unless every call returned a value or an *Error.
func requireTyped(t testing.TB, results map[string]error) {
	t.Helper()
	for name, err := range results {
		if err == nil {
			continue
		}
		var apiErr *connected.Error
		if !errors.As(err, &apiErr) {
			t.Fatalf("%s: %T is not a *connected.Error: %v", name, err, err)
		}
	}
}

func TestHostileResponsesGiveTypedErrors(t *testing.T) {
	deep := []byte(`{"id":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`)
	cases := []struct {
		name        string
		status      int
		contentType string
		body        []byte
		wantErr     bool
	}{
		{"deep nesting", 200, "application/json", deep, true},
		{"deep nesting in an error", 400, "application/json", []byte(`{"error":` + strings.Repeat("[", 100_000) + `}`), true},
		{"truncated JSON", 200, "application/json", []byte(`{"id":"x","data":[`), true},
		{"not JSON", 200, "application/json", []byte("<html>"), true},
		{"JSON array", 200, "application/json", []byte(`[1,2,3]`), true},
		{"wrong types", 200, "application/json", []byte(`{"id":1,"data":"x","has_more":"yes","start":false}`), true},
		{"text/html success", 200, "text/html", []byte(`{"id":"x"}`), true},
		{"no content type", 200, "", []byte(`{"id":"x"}`), true},
		// Only the media type matters: a garbled parameter after a JSON type
		// does not make the body any less JSON, which is still decoded and checked.
		{"garbled parameter on a JSON type", 200, "application/json; ===", []byte(`{"id":"x"}`), false},
		{"unparsable content type", 200, "application/json/extra", []byte(`{"id":"x"}`), true},
		{"error with the wrong content type", 409, "text/plain", []byte(`{"error":{"type":"invalid_request_error","code":"slot_unavailable"}}`), true},
		{"invalid UTF-8 in an error", 400, "application/json", []byte("{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"x\xff\xfe\",\"message\":\"\xc3\x28\"}}"), true},
		{"null", 200, "application/json", []byte(`null`), false},
		{"empty body", 200, "application/json", nil, true},
		{"invalid UTF-8 in a value", 200, "application/json", []byte("{\"id\":\"\xff\xfe\",\"data\":[],\"has_more\":false}"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newCanned(t)
			s.answer(tc.status, tc.contentType, tc.body)
			results := everyCall(context.Background(), s.client(t))
			requireTyped(t, results)
			if tc.wantErr {
				for name, err := range results {
					assert.Error(t, err, name)
				}
			}
		})
	}
}

// A server (or something in between) that keeps saying has_more with a
// cursor that does not move must not trap the iterator in a loop.
func TestListCursorThatDoesNotAdvanceEndsTheIteration(t *testing.T) {
	for name, body := range map[string]string{
		"same page again": `{"object":"list","url":"/v1/connected/appointment_types","has_more":true,"data":[{"id":"aptype_1"}]}`,
		"empty id":        `{"object":"list","url":"/v1/connected/appointment_types","has_more":true,"data":[{"id":""}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			s := newCanned(t)
			s.answer(200, "application/json", []byte(body))
			c := s.client(t)
			var n int
			var last error
			for _, err := range c.AppointmentTypes.All(context.Background(), nil) {
				n++
				last = err
				if n > 100 {
					break
				}
			}
			require.LessOrEqual(t, n, 3, "the iteration stopped")
			var apiErr *connected.Error
			require.ErrorAs(t, last, &apiErr, "it ends with a typed error")
			assert.Contains(t, apiErr.Message, "cursor")
		})
	}
	t.Run("a cycle of two pages", func(t *testing.T) {
		var calls atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			id := "aptype_a"
			if calls.Add(1)%2 == 0 {
				id = "aptype_b"
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"object":"list","url":"/v1/connected/appointment_types","has_more":true,"data":[{"id":"` + id + `"}]}`))
		}))
		t.Cleanup(srv.Close)
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		c, err := connected.NewClient(testKey, connected.WithBaseURL(srv.URL+"/v1"), connected.WithHTTPClient(&http.Client{Transport: tr}))
		require.NoError(t, err)
		var n int
		var last error
		for _, err := range c.AppointmentTypes.All(context.Background(), nil) {
			if n++; n > 100 {
				break
			}
			last = err
		}
		require.LessOrEqual(t, n, 4)
		assert.Error(t, last)
	})
}

// Ids, keys and tokens that could split a header, or change the path the
// request goes to, are refused before anything is sent.
func TestInjectionInIdsKeysAndTokensIsRefused(t *testing.T) {
	s := newCanned(t)
	s.answer(200, "application/json", []byte(`{}`))
	c := s.client(t)
	ctx := context.Background()
	p := patient()
	params := &connected.ConfirmParams{Patient: p, ExternalPaymentReference: "pi_1"}
	bads := []string{"apt_1\r\nX-Evil: 1", "apt_1\n", "../account", "..", ".", "apt/1", `apt\1`, "apt_1?x=1", "apt_1#f", "%2e%2e", "apt 1", "apt\x00", "apt\x7f"}
	for _, id := range bads {
		for name, call := range map[string]func() error{
			"get":    func() error { _, err := c.Appointments.Get(ctx, id); return err },
			"cancel": func() error { _, err := c.Appointments.Cancel(ctx, id); return err },
			"reschedule": func() error {
				_, err := c.Appointments.Reschedule(ctx, id, &connected.RescheduleParams{SlotID: "s"})
				return err
			},
			"confirm":       func() error { _, err := c.Appointments.Confirm(ctx, id, "aht_1", params); return err },
			"patient":       func() error { _, err := c.Patients.Get(ctx, id); return err },
			"questionnaire": func() error { _, err := c.Questionnaires.Get(ctx, id); return err },
			"for appt":      func() error { _, err := c.Questionnaires.GetForAppointment(ctx, id); return err },
		} {
			err := call()
			assert.ErrorIs(t, err, connected.ErrInvalidRequest, "%s(%q)", name, id)
		}
	}
	for _, tok := range []string{"aht_1\r\nX-Evil: 1", "aht\n", "aht\x00"} {
		_, err := c.Appointments.Confirm(ctx, "apt_1", tok, params)
		assert.ErrorIs(t, err, connected.ErrInvalidRequest, "hold token %q", tok)
	}
	for _, key := range []string{"k\r\nX-Evil: 1", "k\n", "k\x00", strings.Repeat("k", 256)} {
		_, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: "s"}, connected.WithIdempotencyKey(key))
		assert.ErrorIs(t, err, connected.ErrInvalidRequest, "idempotency key %q", key)
	}
	for _, h := range [][2]string{{"X-Trace", "a\r\nX-Evil: 1"}, {"X-Trace\r\nX-Evil", "1"}, {"X Trace", "1"}} {
		_, err := c.Account.Get(ctx, connected.WithHeader(h[0], h[1]))
		var cfgErr *connected.ConfigError
		assert.ErrorAs(t, err, &cfgErr, "header %q", h)
	}
	assert.Zero(t, s.count.Load(), "nothing was sent")
}
