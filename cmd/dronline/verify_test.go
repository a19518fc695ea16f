package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// The exit codes are what CI branches on, so these tests run the built
// binary (go run would turn every failure into 1).

// verifyRun is one run of the built binary.
type verifyRun struct {
	code                   int
	stdout, stderr, report string
}

func runVerify(t *testing.T, bin string, env map[string]string, args ...string) verifyRun {
	t.Helper()
	report := filepath.Join(t.TempDir(), "verify.md")
	cmd := exec.CommandContext(t.Context(), bin, append([]string{"verify", "--report", report}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if err != nil {
		require.ErrorAs(t, err, &exitErr)
		code = exitErr.ExitCode()
	}
	b, _ := os.ReadFile(report) // absent when the run stopped before it
	return verifyRun{code: code, stdout: out.String(), stderr: errOut.String(), report: string(b)}
}

// verifyFake is a fake in front of which alter rewrites the 2xx JSON
// answers it matches, and which remembers every hold token it passed on
// (to check that none is printed).
type verifyFake struct {
	srv *connectedtest.Server
	env map[string]string

	mu     sync.Mutex
	tokens []string
}

type alteration struct {
	method, path string // the request's path, /v1 included; ending in /, a prefix
	alter        func(h http.Header, body map[string]any)
	refuse       bool // answer 401 api_key_invalid instead
}

func (a *alteration) matches(r *http.Request) bool {
	if a == nil || r.Method != a.method {
		return false
	}
	if strings.HasSuffix(a.path, "/") {
		return strings.HasPrefix(r.URL.Path, a.path)
	}
	return r.URL.Path == a.path
}

func newVerifyFake(t *testing.T, alt *alteration, opts ...connectedtest.Option) *verifyFake {
	t.Helper()
	f := &verifyFake{}
	front := func(srv *connectedtest.Server) http.Handler {
		next := srv.Handler()
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if alt.matches(r) && alt.refuse {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("X-Request-Id", "req_refused")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":{"type":"authentication_error","code":"api_key_invalid","message":"Invalid API key.","param":null}}`))
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			if rec.Code/100 == 2 && r.URL.Path == "/v1/connected/appointment_holds" {
				var hold struct {
					HoldToken string `json:"hold_token"`
				}
				if json.Unmarshal(body, &hold) == nil && hold.HoldToken != "" {
					f.mu.Lock()
					f.tokens = append(f.tokens, hold.HoldToken)
					f.mu.Unlock()
				}
			}
			if alt.matches(r) && rec.Code/100 == 2 {
				var m map[string]any
				if json.Unmarshal(body, &m) == nil {
					alt.alter(rec.Header(), m)
					body, _ = json.Marshal(m)
				}
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	}
	f.srv = connectedtest.NewServer(append([]connectedtest.Option{connectedtest.WithHandler(front), connectedtest.WithRequestRecording(true)}, opts...)...)
	t.Cleanup(f.srv.Close)
	f.env = map[string]string{connected.EnvAPIKey: f.srv.APIKey(), connected.EnvBaseURL: f.srv.URL()}
	return f
}

func (f *verifyFake) holdTokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.tokens...)
}

// assertNothingBooked checks that every appointment the run confirmed on
// the fake is cancelled.
func (f *verifyFake) assertNothingBooked(t *testing.T) {
	t.Helper()
	apts := f.srv.Appointments(f.srv.APIKey())
	for _, a := range apts {
		assert.Equal(t, connected.AppointmentStatusCancelled, a.Status, "appointment %s left booked", a.ID)
	}
}

// assertNoSecretsIn checks a run's outputs for the key, the hold tokens
// and the synthetic patient's fields.
func (f *verifyFake) assertNoSecretsIn(t *testing.T, r verifyRun) {
	t.Helper()
	secrets := append([]string{f.srv.APIKey(), "synthetic.testpatient@example.com", "1990-01-01", "Synthetic", "Testpatient"}, f.holdTokens()...)
	for _, out := range []string{r.stdout, r.stderr, r.report} {
		for _, s := range secrets {
			assert.NotContains(t, out, s)
		}
	}
}

var verifyOps = []string{
	"account", "appointment types", "practitioners", "slots", "validate", "hold",
	"confirm: wrong hold token", "confirm", "confirm: replay", "get", "get: unknown id",
	"list by partner_reference", "patient", "questionnaire", "reschedule", "cancel",
}

func TestVerifyBinary(t *testing.T) {
	bin := buildDronline(t)

	t.Run("conforms against the fake and leaves nothing booked", func(t *testing.T) {
		f := newVerifyFake(t, nil, connectedtest.WithSpecValidation(true))
		r := runVerify(t, bin, f.env)
		require.Equal(t, exitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		for _, op := range verifyOps {
			assert.Regexp(t, regexp.MustCompile(`(?m)^✓ `+regexp.QuoteMeta(op)+` +(GET|POST) /connected/\S+ → \d{3}$`), r.stdout, op)
		}
		assert.Contains(t, r.stdout, "16 operations checked: 0 violations, 0 additions. The API conforms to the pinned contract.")
		assert.Contains(t, r.report, "## Contract verification: the API conforms")
		assert.Empty(t, f.srv.SpecViolations())
		require.NotEmpty(t, f.srv.Appointments(f.srv.APIKey()), "the run booked an appointment")
		f.assertNothingBooked(t)
		require.NotEmpty(t, f.holdTokens())
		f.assertNoSecretsIn(t, r)
	})

	t.Run("conforms against dronline mock", func(t *testing.T) {
		p := startMockProcess(t, bin, "mock", "--addr", "127.0.0.1:0")
		r := runVerify(t, bin, map[string]string{connected.EnvAPIKey: p.key, connected.EnvBaseURL: p.base})
		require.Equal(t, exitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		assert.Equal(t, len(verifyOps), strings.Count(r.stdout, "\n✓ "), "every operation ✓")
		for _, out := range []string{r.stdout, r.stderr, r.report} {
			assert.NotContains(t, out, p.key)
		}
		require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
		<-p.exited
	})

	t.Run("--json", func(t *testing.T) {
		f := newVerifyFake(t, nil)
		r := runVerify(t, bin, f.env, "--json")
		require.Equal(t, exitOK, r.code, r.stderr)
		var res verifyResult
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &res), "stdout is one JSON document")
		assert.Equal(t, "conforms", res.Result)
		assert.Len(t, res.Operations, len(verifyOps))
		assert.Regexp(t, `^verify-[a-z0-9]+$`, res.Run)
		f.assertNoSecretsIn(t, r)
	})

	alterations := []struct {
		name     string
		alt      alteration
		code     int
		finding  string
		resultMD string
	}{
		{"a required field removed from a list item", alteration{method: "GET", path: "/v1/connected/appointment_types", alter: func(_ http.Header, b map[string]any) {
			delete(b["data"].([]any)[0].(map[string]any), "name")
		}}, exitViolations, "✗ appointment types", "violation $.data[0].name: required by the contract, missing"},
		{"a wrong type", alteration{method: "GET", path: "/v1/connected/account", alter: func(_ http.Header, b map[string]any) {
			b["livemode"] = "no"
		}}, exitViolations, "✗ account", "violation $.livemode: must be a boolean"},
		{"a missing X-Request-Id", alteration{method: "GET", path: "/v1/connected/account", alter: func(h http.Header, _ map[string]any) {
			h.Del("X-Request-Id")
		}}, exitViolations, "✗ account", "violation header X-Request-Id: required by the contract, missing"},
		{"an enum value outside the contract", alteration{method: "GET", path: "/v1/connected/account", alter: func(_ http.Header, b map[string]any) {
			b["object"] = "account_v2"
		}}, exitAdditions, "+ account", "addition $.object: a value the contract's enum does not list (it lists account)"},
		{"a field the contract lacks", alteration{method: "GET", path: "/v1/connected/practitioners", alter: func(_ http.Header, b map[string]any) {
			b["data"].([]any)[0].(map[string]any)["languages"] = []any{"en"}
		}}, exitAdditions, "+ practitioners", "addition $.data[0].languages: a property the contract does not list"},
	}
	for _, tc := range alterations {
		t.Run(tc.name, func(t *testing.T) {
			f := newVerifyFake(t, &tc.alt)
			r := runVerify(t, bin, f.env)
			assert.Equal(t, tc.code, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			assert.Contains(t, r.stdout, tc.finding)
			assert.Contains(t, r.stdout, "    "+tc.resultMD)
			assert.Contains(t, r.report, "`"+strings.SplitN(strings.SplitN(tc.resultMD, " ", 2)[1], ":", 2)[0]+"`")
			f.assertNothingBooked(t)
			f.assertNoSecretsIn(t, r)
		})
	}

	t.Run("a run that stops after the booking cancels it", func(t *testing.T) {
		var slotLists atomic.Int32
		// The first slot search finds a slot; the reschedule's finds none.
		f := newVerifyFake(t, &alteration{method: "GET", path: "/v1/connected/slots", alter: func(_ http.Header, b map[string]any) {
			if slotLists.Add(1) > 1 {
				b["data"] = []any{}
			}
		}})
		r := runVerify(t, bin, f.env)
		assert.Equal(t, exitAPI, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		assert.Contains(t, r.stdout, "! reschedule")
		assert.Contains(t, r.stdout, "    stopped: no free slot to reschedule to")
		assert.Regexp(t, `(?m)^✓ cancel \(clean-up\) +POST /connected/appointments/\{appointment_id\}/cancel → 200$`, r.stdout)
		assert.Contains(t, r.stdout, "The run stopped before the end")
		require.NotEmpty(t, f.srv.Appointments(f.srv.APIKey()))
		f.assertNothingBooked(t)
		f.assertNoSecretsIn(t, r)
	})

	t.Run("a 429 is retried after its Retry-After and checked too", func(t *testing.T) {
		f := newVerifyFake(t, nil)
		f.srv.InjectFault(connectedtest.Fault{Method: "GET", Path: "/connected/account", Status: http.StatusTooManyRequests, RetryAfter: "0"})
		r := runVerify(t, bin, f.env)
		assert.Equal(t, exitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		assert.Contains(t, r.stderr, "retrying GET /connected/account: attempt 1 got HTTP 429 rate_limited")
		assert.Regexp(t, `(?m)^✓ account +GET /connected/account → 200$`, r.stdout)
		var accountGets int
		for _, q := range f.srv.Requests() {
			if q.Path == "/v1/connected/account" {
				accountGets++
			}
		}
		assert.Equal(t, 2, accountGets)
	})

	t.Run("a 401 stops the run at once", func(t *testing.T) {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			hits.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Request-Id", "req_refused")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"type":"authentication_error","code":"api_key_invalid","message":"Invalid API key.","param":null}}`))
		}))
		t.Cleanup(srv.Close)
		key := "sk_sandbox_Refused0Key0Value"
		r := runVerify(t, bin, map[string]string{connected.EnvAPIKey: key, connected.EnvBaseURL: srv.URL + "/v1"})
		assert.Equal(t, exitConfig, r.code)
		assert.Equal(t, int32(1), hits.Load(), "one request, then it stops")
		assert.Contains(t, r.stderr, "the API refused the key: HTTP 401 api_key_invalid (request req_refused)")
		assert.Contains(t, r.report, "the key was refused")
		for _, out := range []string{r.stdout, r.stderr, r.report} {
			assert.NotContains(t, out, key)
		}
	})

	t.Run("a 401 after the booking stops the run and names what is left booked", func(t *testing.T) {
		f := newVerifyFake(t, &alteration{method: "GET", path: "/v1/connected/patients/", refuse: true})
		r := runVerify(t, bin, f.env)
		assert.Equal(t, exitConfig, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		apts := f.srv.Appointments(f.srv.APIKey())
		require.Len(t, apts, 1)
		assert.Contains(t, r.stderr, "warning: appointment "+apts[0].ID+" is still booked")
		assert.Contains(t, r.stderr, "the API refused the key: HTTP 401 api_key_invalid")
		assert.NotContains(t, r.stdout, "questionnaire", "nothing after the 401")
		for _, q := range f.srv.Requests() {
			assert.NotContains(t, q.Path, "/patients/", "the refused request never reached the fake")
		}
		f.assertNoSecretsIn(t, r)
	})

	t.Run("a live key without --read-only is refused before any request", func(t *testing.T) {
		f := newVerifyFake(t, nil)
		live := f.srv.AddCredential(connectedtest.WithLiveKey())
		r := runVerify(t, bin, map[string]string{connected.EnvAPIKey: live, connected.EnvBaseURL: f.srv.URL()})
		assert.Equal(t, exitConfig, r.code)
		assert.Contains(t, r.stderr, "refusing a live key")
		assert.Empty(t, f.srv.Requests())
		assert.NotContains(t, r.stderr, live)
	})

	t.Run("--read-only sends no POST", func(t *testing.T) {
		f := newVerifyFake(t, nil)
		live := f.srv.AddCredential(connectedtest.WithLiveKey())
		r := runVerify(t, bin, map[string]string{connected.EnvAPIKey: live, connected.EnvBaseURL: f.srv.URL()}, "--read-only")
		assert.Equal(t, exitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		reqs := f.srv.Requests()
		require.NotEmpty(t, reqs)
		for _, q := range reqs {
			assert.Equal(t, http.MethodGet, q.Method, q.Path)
		}
		assert.Contains(t, r.stdout, "- hold                         skipped (--read-only)")
		assert.Empty(t, f.srv.Appointments(live))
		assert.NotContains(t, r.stdout+r.stderr+r.report, live)
	})

	t.Run("no key", func(t *testing.T) {
		r := runVerify(t, bin, nil)
		assert.Equal(t, exitConfig, r.code)
		assert.Contains(t, r.stderr, "DRONLINE_API_KEY is not set")
	})
}
