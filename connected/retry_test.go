package connected_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

const testKey = "sk_sandbox_test_0123456789"

// recorder is a loopback server that answers from a script, one response
// per attempt, and records what each attempt carried.
type recorder struct {
	mu       sync.Mutex
	attempts []attemptRecord
	script   []func(w http.ResponseWriter, r *http.Request)
	srv      *httptest.Server
}

type attemptRecord struct {
	method, path, idempotencyKey, body string
	header                             http.Header
}

func newRecorder(t *testing.T, script ...func(w http.ResponseWriter, r *http.Request)) *recorder {
	t.Helper()
	rec := &recorder{script: script}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		n := len(rec.attempts)
		rec.attempts = append(rec.attempts, attemptRecord{r.Method, r.URL.Path, r.Header.Get("Idempotency-Key"), string(body), r.Header.Clone()})
		rec.mu.Unlock()
		w.Header().Set("X-Request-Id", fmt.Sprintf("req_%d", n+1))
		if n < len(rec.script) {
			rec.script[n](w, r)
			return
		}
		rec.script[len(rec.script)-1](w, r)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.attempts)
}

func (r *recorder) records() []attemptRecord {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]attemptRecord(nil), r.attempts...)
}

func jsonError(status int, typ, code string, headers ...string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"error":{"type":%q,"code":%q,"message":"scripted %d"}}`, typ, code, status)
	}
}

func okJSON(body string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}
}

const holdJSON = `{"id":"hold_1","object":"appointment_hold","appointment_id":"apt_blk_1","appointment_type_id":"t","created_at":"2030-01-01T10:00:00Z","end":"2030-01-02T10:15:00Z","expires_at":"2030-01-01T10:10:00Z","hold_token":"aht_x","metadata":{},"patient_id":null,"practitioner_id":"p","slot_id":"s","start":"2030-01-02T10:00:00Z"}`

// waits records the SDK's waits between attempts instead of sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) wait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

func newTestClient(t *testing.T, baseURL string, w *waits, opts ...connected.ClientOption) *connected.Client {
	t.Helper()
	base := []connected.ClientOption{connected.WithBaseURL(baseURL), connected.WithWaitFunc(w.wait), connected.WithoutJitter()}
	c, err := connected.NewClient(testKey, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

func createHold(c *connected.Client, opts ...connected.CallOption) (*connected.AppointmentHold, error) {
	return c.Holds.Create(context.Background(), &connected.HoldParams{SlotID: "slot_1"}, opts...)
}

// Every retryable status is retried, whatever its body: JSON-bodied 5xx
// included. The same idempotency key and the same body arrive every time.
func TestRetriesRetryableStatusesEndToEnd(t *testing.T) {
	cases := []struct {
		status int
		typ    string
		code   string
	}{
		{408, "invalid_request_error", "parameter_invalid"},
		{409, "idempotency_error", "idempotency_key_in_use"},
		{429, "rate_limit_error", "rate_limited"},
		{500, "api_error", "internal_error"},
		{502, "api_error", "internal_error"},
		{503, "api_error", "service_unavailable"},
		{504, "api_error", "internal_error"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			rec := newRecorder(t, jsonError(tc.status, tc.typ, tc.code), jsonError(tc.status, tc.typ, tc.code), okJSON(holdJSON))
			var w waits
			c := newTestClient(t, rec.srv.URL+"/v1", &w)
			var info connected.ResponseInfo
			hold, err := createHold(c, connected.WithResponseInfo(&info))
			require.NoError(t, err)
			assert.Equal(t, "apt_blk_1", hold.AppointmentID)
			assert.Equal(t, 3, rec.count(), "two retries by default")
			assert.Equal(t, 3, info.Attempts)
			recs := rec.records()
			require.NotEmpty(t, recs[0].idempotencyKey)
			for _, r := range recs {
				assert.Equal(t, recs[0].idempotencyKey, r.idempotencyKey, "one key for every attempt")
				assert.Equal(t, recs[0].body, r.body, "the body is replayed intact")
				assert.Equal(t, "/v1/connected/appointment_holds", r.path)
			}
			assert.Equal(t, recs[0].idempotencyKey, info.IdempotencyKey)
			assert.Equal(t, "req_3", info.RequestID)
		})
	}
}

func TestDoesNotRetryDefinitiveErrors(t *testing.T) {
	cases := []struct {
		status int
		typ    string
		code   string
		is     error
	}{
		{400, "invalid_request_error", "parameter_invalid", connected.ErrInvalidRequest},
		{401, "authentication_error", "api_key_invalid", connected.ErrAuthentication},
		{404, "invalid_request_error", "resource_missing", connected.ErrNotFound},
		{409, "invalid_request_error", "slot_unavailable", connected.ErrSlotUnavailable},
		{409, "idempotency_error", "idempotency_key_reused", connected.ErrIdempotencyKeyReused},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			rec := newRecorder(t, jsonError(tc.status, tc.typ, tc.code), okJSON(holdJSON))
			var w waits
			c := newTestClient(t, rec.srv.URL+"/v1", &w)
			_, err := createHold(c)
			require.Error(t, err)
			assert.Equal(t, 1, rec.count())
			assert.ErrorIs(t, err, tc.is)
			var apiErr *connected.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, connected.ErrorCode(tc.code), apiErr.Code)
			assert.Equal(t, "req_1", apiErr.RequestID)
			assert.Equal(t, 1, apiErr.Attempts)
			assert.False(t, apiErr.Ambiguous, "a definitive answer is not ambiguous")
			assert.NotEmpty(t, apiErr.IdempotencyKey)
		})
	}
}

func TestRetriesExhaustedKeepsTheLastErrorAndIsAmbiguous(t *testing.T) {
	rec := newRecorder(t, jsonError(503, "api_error", "service_unavailable"))
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithMaxRetries(4))
	_, err := createHold(c)
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 5, rec.count())
	assert.Equal(t, 5, apiErr.Attempts)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, connected.ErrorCodeServiceUnavailable, apiErr.Code)
	assert.Equal(t, "req_5", apiErr.RequestID)
	assert.True(t, apiErr.Ambiguous, "a 5xx POST may have taken effect")
	assert.ErrorIs(t, err, connected.ErrAmbiguous)
	assert.Equal(t, rec.records()[0].idempotencyKey, apiErr.IdempotencyKey)
	assert.Contains(t, err.Error(), apiErr.IdempotencyKey, "the message says which key to replay with")
	// exponential from 0.5 s, capped at 8 s
	assert.Equal(t, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}, w.all())
}

func TestBackoffIsCapped(t *testing.T) {
	rec := newRecorder(t, jsonError(500, "api_error", "internal_error"))
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithMaxRetries(6), connected.WithBackoff(time.Second, 3*time.Second))
	_, err := c.Account.Get(context.Background())
	require.Error(t, err)
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}, w.all())
}

func TestEqualJitterStaysWithinHalfAndWhole(t *testing.T) {
	for range 1000 {
		d := connected.EqualJitter(time.Second)
		require.GreaterOrEqual(t, d, 500*time.Millisecond)
		require.LessOrEqual(t, d, time.Second)
	}
}

func TestZeroRetriesDisablesRetrying(t *testing.T) {
	rec := newRecorder(t, jsonError(503, "api_error", "service_unavailable"), okJSON(holdJSON))
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithMaxRetries(0))
	_, err := createHold(c)
	require.Error(t, err)
	assert.Equal(t, 1, rec.count())
	// and per call: the call's option overrides the client's
	rec2 := newRecorder(t, jsonError(503, "api_error", "service_unavailable"), okJSON(holdJSON))
	c2 := newTestClient(t, rec2.srv.URL+"/v1", &w)
	_, err = createHold(c2, connected.WithMaxRetries(0))
	require.Error(t, err)
	assert.Equal(t, 1, rec2.count())
	_, err = createHold(c2)
	require.NoError(t, err, "the per-call option did not stick to the client")
}

func TestRetryAfterIsHonouredAndCapped(t *testing.T) {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	rec := newRecorder(t,
		jsonError(429, "rate_limit_error", "rate_limited", "Retry-After", "3"),
		jsonError(503, "api_error", "service_unavailable", "Retry-After", now.Add(7*time.Second).Format(http.TimeFormat)),
		jsonError(429, "rate_limit_error", "rate_limited", "Retry-After", "3600"),
		jsonError(429, "rate_limit_error", "rate_limited", "Retry-After", "soon"),
		okJSON(`{"id":"acct_1","object":"account","api_version":"2030-01-01","currency":"gbp","features":{},"livemode":false,"name":"n","path_version":"v1","timezone":"Europe/London"}`),
	)
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithMaxRetries(4), connected.WithClock(func() time.Time { return now }),
		connected.WithMaxRetryAfter(10*time.Second))
	acct, err := c.Account.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "acct_1", acct.ID)
	assert.Equal(t, []time.Duration{3 * time.Second, 7 * time.Second, 10 * time.Second, 4 * time.Second}, w.all(),
		"seconds, HTTP date, capped, and unreadable falls back to backoff")
}

func TestNonJSONErrorBodyGivesATypedError(t *testing.T) {
	html := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body>Bad gateway</body></html>")
	}
	rec := newRecorder(t, html)
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w)
	_, err := c.Account.Get(context.Background())
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 502, apiErr.StatusCode)
	assert.Equal(t, connected.ErrorTypeAPI, apiErr.Type)
	assert.Equal(t, 3, rec.count(), "an HTML 502 is retried like a JSON one")
	assert.Contains(t, apiErr.Message, "text/html")
	assert.NotContains(t, err.Error(), "Bad gateway", "the body is not copied into the error")
	var syntaxErr *json.SyntaxError
	assert.False(t, errors.As(err, &syntaxErr), "never a bare JSON decode error")
}

func TestUnknownCodeIsKept(t *testing.T) {
	rec := newRecorder(t, jsonError(409, "invalid_request_error", "practitioner_on_leave"))
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w)
	_, err := createHold(c)
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, connected.ErrorCode("practitioner_on_leave"), apiErr.Code)
	assert.Equal(t, 1, rec.count())
}

func TestConnectionRefusedIsRetriedAndNotAmbiguous(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now
	var w waits
	c := newTestClient(t, "http://"+addr+"/v1", &w)
	_, err = createHold(c)
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, connected.ErrorTypeConnection, apiErr.Type)
	assert.Equal(t, 3, apiErr.Attempts)
	assert.Len(t, w.all(), 2)
	assert.False(t, apiErr.Ambiguous, "nothing reached the server")
	assert.Contains(t, apiErr.Message, "could not connect")
	assert.NotContains(t, err.Error(), addr, "no URL in the message")
}

// An attempt that outlives its timeout is abandoned and retried. The
// server never answers, so every attempt can only end by its timeout,
// however fast or slow the machine: that is all this test relies on.
func TestAttemptTimeoutBoundsEveryAttempt(t *testing.T) {
	hang := func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	rec := newRecorder(t, hang)
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithAttemptTimeout(50*time.Millisecond), connected.WithMaxRetries(1))
	_, err := createHold(c)
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 2, apiErr.Attempts, "timed out, retried, timed out")
	assert.Len(t, w.all(), 1)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "timed out")
}

// A caller's deadline sooner than the attempt timeout ends the call at that
// deadline, unretried, whether or not the attempt gets a timeout of its
// own. The caller's deadline (a minute away, within the hour of the
// attempt timeout) passes as soon as the server has the request, and the
// server never answers, so the deadline is the only way out.
func TestCallerDeadlineSoonerThanTheAttemptTimeoutEndsTheCall(t *testing.T) {
	for _, get := range []bool{false, true} {
		ctx := newExpiringContext()
		ctx.deadline = time.Now().Add(time.Minute)
		rec := newRecorder(t, func(_ http.ResponseWriter, r *http.Request) {
			ctx.expire()
			<-r.Context().Done()
		})
		var w waits
		c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithAttemptTimeout(time.Hour), connected.WithMaxRetries(2))
		var err error
		if get {
			_, err = c.Appointments.Get(ctx, "apt_1")
		} else {
			_, err = c.Holds.Create(ctx, &connected.HoldParams{SlotID: "slot_1"})
		}
		var apiErr *connected.Error
		require.ErrorAs(t, err, &apiErr, "get=%v", get)
		assert.Equal(t, 1, apiErr.Attempts, "get=%v: a done caller's call is not retried", get)
		assert.Empty(t, w.all(), "get=%v: no wait for a retry", get)
		assert.ErrorIs(t, err, context.DeadlineExceeded, "get=%v", get)
		assert.Contains(t, err.Error(), "timed out", "get=%v", get)
		assert.Equal(t, 1, rec.count(), "get=%v", get)
	}
}

// A POST whose attempts timed out after their requests were written may
// have taken effect. The deadline passes once the request is written (a
// hook, not a race between a timer and the machine's speed).
func TestAttemptTimedOutAfterTheRequestWasWrittenIsAmbiguous(t *testing.T) {
	hang := func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	rec := newRecorder(t, hang)
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, firstAttemptExpiresAt(onceWritten), connected.WithMaxRetries(0))
	var info connected.ResponseInfo
	_, err := createHold(c, connected.WithResponseInfo(&info))
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.True(t, apiErr.Ambiguous)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "request failed: timed out")
	assert.Equal(t, info.IdempotencyKey, apiErr.IdempotencyKey)
}

func TestTLSCertificateErrorsAreNotRetried(t *testing.T) {
	var hits int
	var mu sync.Mutex
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(_ http.ResponseWriter, _ *http.Request) { mu.Lock(); hits++; mu.Unlock() }))
	// The refused handshake is the point of the test: keep the server's
	// log of it out of the test output. (Set before the server starts, so
	// no server goroutine reads it while it changes.)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	var w waits
	c := newTestClient(t, srv.URL+"/v1", &w, connected.WithHTTPClient(&http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}}))
	_, err := c.Account.Get(context.Background())
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Empty(t, w.all())
	assert.Contains(t, apiErr.Message, "certificate")
	assert.False(t, apiErr.Retryable())
}

func TestResponseBodyIsBounded(t *testing.T) {
	big := okJSON(`{"id":"acct_1","object":"account","name":"` + strings.Repeat("x", 4096) + `"}`)
	rec := newRecorder(t, big)
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w, connected.WithMaxResponseBytes(1024))
	_, err := c.Account.Get(context.Background())
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "exceeds the limit of 1024 bytes")
	assert.Equal(t, 1, rec.count(), "a too-large body is not retried")
}

func TestWrongContentTypeOnSuccessIsAnError(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, `{"id":"acct_1"}`)
	})
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w)
	_, err := c.Account.Get(context.Background())
	var apiErr *connected.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 200, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, "not the expected JSON")
}
