package connectedtest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

func TestFaultStatusWithEnvelopeAndRetryAfter(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	s.InjectFault(Fault{Method: http.MethodGet, Path: "/connected/account", Status: http.StatusTooManyRequests, RetryAfter: "2", Times: 2})
	for range 2 {
		r := c.Get("/connected/account")
		require.Equal(t, http.StatusTooManyRequests, r.Status)
		assert.Equal(t, "2", r.Header.Get("Retry-After"))
		code, _ := r.ErrCode(t)
		assert.Equal(t, "rate_limited", code)
		assert.Equal(t, "rate_limit_error", r.Str("error", "type"))
	}
	assert.Equal(t, http.StatusOK, c.Get("/connected/account").Status, "the fault is used up")
}

// A Status fault without a Body answers the envelope Fault.Status
// documents: the code the contract pairs with the status, so a client's
// errors.Is branches see what a real answer would give them.
func TestFaultStatusAnswersTheDocumentedCode(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	for _, tc := range []struct {
		status int
		typ    connected.ErrorType
		code   connected.ErrorCode
	}{
		{http.StatusTooManyRequests, connected.ErrorTypeRateLimit, connected.ErrorCodeRateLimited},
		{http.StatusServiceUnavailable, connected.ErrorTypeAPI, connected.ErrorCodeServiceUnavailable},
		{http.StatusUnauthorized, connected.ErrorTypeAuthentication, connected.ErrorCodeAPIKeyInvalid},
		{http.StatusNotFound, connected.ErrorTypeInvalidRequest, connected.ErrorCodeResourceMissing},
		{http.StatusConflict, connected.ErrorTypeInvalidRequest, connected.ErrorCodeSlotUnavailable},
		{http.StatusBadRequest, connected.ErrorTypeInvalidRequest, connected.ErrorCodeParameterInvalid},
		{http.StatusUnprocessableEntity, connected.ErrorTypeInvalidRequest, connected.ErrorCodeParameterInvalid},
		{http.StatusInternalServerError, connected.ErrorTypeAPI, connected.ErrorCodeInternalError},
		{http.StatusBadGateway, connected.ErrorTypeAPI, connected.ErrorCodeInternalError},
	} {
		s.InjectFault(Fault{Path: "/connected/account", Status: tc.status})
		r := c.Get("/connected/account")
		require.Equal(t, tc.status, r.Status)
		code, _ := r.ErrCode(t)
		assert.Equal(t, string(tc.code), code, "%d", tc.status)
		assert.Equal(t, string(tc.typ), r.Str("error", "type"), "%d", tc.status)
	}
}

func TestFaultMatchesMethodAndPath(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	s.InjectFault(Fault{Method: http.MethodPost, Path: "/connected/appointments/{appointment_id}/cancel", Status: http.StatusServiceUnavailable})
	assert.Equal(t, http.StatusOK, c.Get("/connected/account").Status)
	assert.Equal(t, http.StatusNotFound, c.Get("/connected/appointments/apt_x").Status)
	r := c.Post("/connected/appointments/apt_x/cancel", nil)
	assert.Equal(t, http.StatusServiceUnavailable, r.Status)
	code, _ := r.ErrCode(t)
	assert.Equal(t, "service_unavailable", code)
}

func TestFaultRawBody(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	html := []byte("<html><body>502 Bad Gateway</body></html>")
	s.InjectFault(Fault{Status: http.StatusBadGateway, Body: html, ContentType: "text/html"})
	r := c.Get("/connected/account")
	assert.Equal(t, http.StatusBadGateway, r.Status)
	assert.Equal(t, "text/html", r.Header.Get("Content-Type"))
	assert.Equal(t, html, r.Raw)
}

func TestFaultDropResetsConnection(t *testing.T) {
	s := newTestServer(t)
	s.InjectFault(Fault{Drop: true})
	req, err := http.NewRequest(http.MethodGet, s.URL()+"/connected/account", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	require.Error(t, err)
	reqs := s.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, 0, reqs[0].Status)
}

func TestFaultHangUntilClientGivesUp(t *testing.T) {
	s := newTestServer(t)
	s.InjectFault(Fault{Hang: true})
	c := newClient(t, s, s.APIKey())
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/connected/account", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	errc := make(chan error, 1)
	go func() {
		resp, err := c.HC.Do(req)
		if resp != nil {
			_ = resp.Body.Close()
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		t.Fatalf("a hanging request returned: %v", err)
	case <-time.After(50 * time.Millisecond): // only proves it has not returned yet
	}
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
	assert.Equal(t, http.StatusOK, c.Get("/connected/account").Status)
}

func TestFaultHangEndsOnClose(t *testing.T) {
	s := NewServer(WithStartTime(monday()))
	s.InjectFault(Fault{Hang: true})
	c := newClient(t, s, s.APIKey())
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, s.URL()+"/connected/account", nil)
		resp, err := c.HC.Do(req)
		if resp != nil {
			_ = resp.Body.Close()
		}
		errc <- err
	}()
	require.Eventually(t, func() bool { return len(s.Faults()) == 0 }, 10*time.Second, time.Millisecond,
		"the request took the fault")
	s.Close()
	<-errc //nolint:errcheck // returns: an error or an empty answer, but it returns
}

func TestFaultDelay(t *testing.T) {
	s := newTestServer(t)
	s.InjectFault(Fault{Delay: 20 * time.Millisecond})
	c := newClient(t, s, s.APIKey())
	start := time.Now()
	r := c.Get("/connected/account")
	assert.Equal(t, http.StatusOK, r.Status)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
}

func TestRequestsAreRecordedWithKeysRedacted(t *testing.T) {
	var logs bytes.Buffer
	s := newTestServer(t, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	c := newClient(t, s, s.APIKey())
	slotID := c.FirstSlot("practitioner_id=prac_chen")["id"].(string)
	h := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID, "patient": patient("private@example.com")}, header{K: "Idempotency-Key", V: "idem-1"})
	c.Confirm(h, nil)
	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, http.MethodGet, reqs[0].Method)
	assert.Equal(t, "/v1/connected/slots", reqs[0].Path)
	assert.Equal(t, http.StatusOK, reqs[0].Status)
	assert.Equal(t, "idem-1", reqs[1].IdempotencyKey)
	assert.Equal(t, "Bearer sk_sandbox_REDACTED", reqs[1].Header.Get("Authorization"))
	assert.Equal(t, "REDACTED", reqs[2].Header.Get("X-Appointment-Hold-Token"))
	assert.Equal(t, h.Header.Get("X-Request-Id"), reqs[1].RequestID)

	out := logs.String()
	assert.Equal(t, 3, strings.Count(out, "\n"), "one line per request")
	assert.Contains(t, out, "request_id=req_")
	assert.Contains(t, out, "status=200")
	for _, secret := range []string{s.APIKey(), "private@example.com", "Jane", "prac_chen", h.Str("hold_token"), "idem-1"} {
		assert.NotContains(t, out, secret)
	}
}

// Why a fault test must not reuse connections: net/http re-sends a request
// that carries an Idempotency-Key by itself when a reused connection closes
// before any byte of the response, so one dropped response never reaches
// the caller. Here a plain net/http client warms a connection, then a POST
// meets a Drop: it succeeds, and the server saw it twice.
func TestDropOnAReusedConnectionIsResentByNetHTTP(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slotID := c.FirstSlot("practitioner_id=prac_chen")["id"].(string) // the connection is now idle, ready for reuse
	s.InjectFault(Fault{Method: http.MethodPost, Path: "/connected/appointment_holds", AfterHandler: true, Drop: true})
	h := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID}, header{K: "Idempotency-Key", V: "idem-drop"})
	assert.Equal(t, http.StatusOK, h.Status, "the drop is invisible to the caller")
	var posts []RecordedRequest
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost {
			posts = append(posts, r)
		}
	}
	require.Len(t, posts, 2, "net/http sent the POST a second time on its own")
	assert.Zero(t, posts[0].Status, "the first was dropped")
	assert.Equal(t, "true", h.Header.Get("Idempotent-Replayed"), "the second got the stored result")
	assert.Equal(t, 1, s.Dials()-1, "on a new connection")
}

// A probability spares some matching requests, and a spared request does
// not use up a hit. The draws come from the test, not from chance.
func TestFaultProbability(t *testing.T) {
	draws := []float64{0.9, 0.1, 0.7}
	s := newTestServer(t, Option{func(c *config) {
		c.chance = func() float64 { d := draws[0]; draws = draws[1:]; return d }
	}})
	c := newClient(t, s, s.APIKey())
	id := s.InjectFault(Fault{Path: "/connected/account", Status: http.StatusServiceUnavailable, Probability: 0.5})
	assert.Equal(t, http.StatusOK, c.Get("/connected/account").Status, "0.9 ≥ 0.5: spared")
	require.Len(t, s.Faults(), 1, "a spared request leaves the hit")
	assert.Equal(t, id, s.Faults()[0].ID())
	assert.Equal(t, http.StatusServiceUnavailable, c.Get("/connected/account").Status, "0.1 < 0.5: hit")
	assert.Equal(t, http.StatusOK, c.Get("/connected/account").Status, "no hit left: no draw either")
	assert.Len(t, draws, 1)
	assert.Empty(t, s.Faults())
}
