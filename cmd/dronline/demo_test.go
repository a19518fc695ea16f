package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// stepLine matches a completed step: number, name, outcome, request id and
// time taken.
func stepLine(n int, name, outcome string) *regexp.Regexp {
	return regexp.MustCompile(fmt.Sprintf(`(?m)^\[%2d/13\] %-14s .*%s.*  \(request req_\w+, [0-9.]+(µs|ms|s)\)$`, n, regexp.QuoteMeta(name), outcome))
}

// demoSteps are the lines of a full run on the default catalogue.
var demoStepLines = []struct {
	name, outcome string
}{
	{"account", `acct_\w+ "Connected sandbox": sandbox, gbp, Europe/London`},
	{"types", `4 appointment types, 2 with a questionnaire`},
	{"practitioners", `3 practitioners`},
	{"slots", `slot_aptype_derm20\.prac_baker\.\d+, .*questionnaire required`},
	{"validate", `slot_aptype_derm20\.prac_baker\.\d+ is available`},
	{"hold", `hold_\w+ locks the slot .* appointment_id apt_blk_\w+, patient pat_\w+, hold_token: \(hidden\)`},
	{"confirm", `apt_\w+ confirmed .*external_payment_reference pay_demo_\w+, partner_reference demo_\w+`},
	{"get", `apt_\w+ is confirmed, .* patient pat_\w+`},
	{"reconcile", `partner_reference demo_\w+ lists 1 appointment\(s\), including apt_\w+`},
	{"patient", `pat_\w+ read back \(demographics not printed\)`},
	{"questionnaire", `qst_\w+ is pending; the patient fills it in at https://`},
	{"reschedule", `apt_\w+ moved from .* to .*, reschedule_count 1`},
	{"cancel", `apt_\w+ is cancelled at `},
}

func assertDemoSteps(t *testing.T, stdout string) {
	t.Helper()
	for i, s := range demoStepLines {
		assert.Regexp(t, stepLine(i+1, s.name, s.outcome), stdout, "step %d (%s)", i+1, s.name)
	}
	assert.Regexp(t, `(?m)^Done: 13 steps in [0-9.]+(µs|ms|s)\.$`, stdout)
}

// assertNoSecrets checks the demo printed no hold token and no patient
// field.
func assertNoSecrets(t *testing.T, out string) {
	t.Helper()
	assert.NotContains(t, out, "aht_", "no hold token")
	for _, field := range []string{"demo.patient@example.com", "1990-01-01", "Demo Patient"} {
		assert.NotContains(t, out, field, "no patient data")
	}
}

func TestDemoWithoutKeyRunsAgainstTheEmbeddedFake(t *testing.T) {
	r := runCLI(t, nil, "demo")
	require.Equal(t, exitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	first, _, _ := strings.Cut(r.stdout, "\n")
	assert.Regexp(t, `^No DRONLINE_API_KEY set: running the booking flow against the embedded fake server at http://127\.0\.0\.1:\d+/v1`, first)
	assertDemoSteps(t, r.stdout)
	assertNoSecrets(t, r.stdout+r.stderr)
	assert.Empty(t, r.stderr)
}

func TestDemoWithKeyUsesTheBaseURL(t *testing.T) {
	f := newFake(t)
	r := runCLI(t, f.env, "demo")
	require.Equal(t, exitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "Running the booking flow against "+f.srv.URL()+" with a sandbox key from DRONLINE_API_KEY.\n"), r.stdout)
	assertDemoSteps(t, r.stdout)
	assertNoSecrets(t, r.stdout+r.stderr)
	assert.NotContains(t, r.stdout+r.stderr, f.srv.APIKey(), "the key is never printed")

	// The flow really happened on this server: one appointment, confirmed
	// with both references, rescheduled once, then cancelled.
	apts := f.srv.Appointments(f.srv.APIKey())
	require.Len(t, apts, 1)
	a := apts[0]
	assert.Equal(t, connected.AppointmentStatusCancelled, a.Status)
	assert.Equal(t, 1, a.RescheduleCount)
	assert.Regexp(t, `^pay_demo_`, a.ExternalPaymentReference)
	assert.Regexp(t, `^demo_`, nullString(a.PartnerReference))
	assert.Contains(t, r.stdout, a.ID)
}

func TestDemoSaysNoQuestionnaireIsRequired(t *testing.T) {
	cat := connectedtest.DefaultCatalogue()
	for i := range cat.AppointmentTypes {
		cat.AppointmentTypes[i].QuestionnaireRequired = false
	}
	f := newFake(t, connectedtest.WithCatalogue(cat))
	r := runCLI(t, f.env, "demo")
	require.Equal(t, exitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Regexp(t, `(?m)^\[11/13\] questionnaire  none required for aptype_\w+$`, r.stdout)
	assert.Regexp(t, `(?m)^Done: 13 steps`, r.stdout)
}

func TestDemoRefusesToBookWithALiveKey(t *testing.T) {
	f := newFake(t)
	live := f.srv.AddCredential(connectedtest.WithLiveKey())
	env := map[string]string{connected.EnvAPIKey: live, connected.EnvBaseURL: f.srv.URL()}

	r := runCLI(t, env, "demo")
	assert.Equal(t, exitConfig, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "with a live key from DRONLINE_API_KEY")
	assert.Regexp(t, stepLine(5, "validate", "is available"), r.stdout, "read-only steps run")
	assert.Regexp(t, `(?m)^\[ 6/13\] hold           refused: the key is live`, r.stdout)
	assert.NotContains(t, r.stdout, "[ 7/13]", "no confirm step")
	assert.Contains(t, r.stderr, "--allow-live")
	for _, req := range f.srv.Requests() {
		assert.NotEqual(t, "POST /v1/connected/appointment_holds", req.Method+" "+req.Path, "no hold was made")
	}
	assert.Empty(t, f.srv.Appointments(live))

	r = runCLI(t, env, "demo", "--allow-live")
	require.Equal(t, exitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Regexp(t, `(?m)^\[ 1/13\] account .*: live, gbp`, r.stdout)
	assert.Regexp(t, `(?m)^Done: 13 steps`, r.stdout)
	apts := f.srv.Appointments(live)
	require.Len(t, apts, 1)
	assert.Equal(t, connected.AppointmentStatusCancelled, apts[0].Status, "the live booking is cancelled at the end")
}

func TestDemoStopsAtTheFailingStep(t *testing.T) {
	f := newFake(t)
	f.srv.InjectFault(connectedtest.Fault{Method: "POST", Path: "/connected/appointment_holds", Status: 409, Body: []byte(`{"error":{"type":"invalid_request_error","code":"slot_unavailable","message":"The slot is no longer available.","param":"slot_id"}}`), ContentType: "application/json"})
	r := runCLI(t, f.env, "demo")
	assert.Equal(t, exitAPI, r.code)
	assert.Regexp(t, `(?m)^\[ 6/13\] hold           FAILED after [0-9.]+(µs|ms|s) \(request req_\w+\)$`, r.stdout)
	assert.NotContains(t, r.stdout, "Done:")
	assert.Contains(t, r.stderr, "error: slot_unavailable: The slot is no longer available.")
	assert.Regexp(t, `request_id: req_\w+`, r.stderr)
}

func TestDemoWithoutKeyIgnoresTheBaseURL(t *testing.T) {
	r := runCLI(t, map[string]string{connected.EnvBaseURL: "https://api.example.test/v1"}, "demo")
	require.Equal(t, exitOK, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assert.Regexp(t, `^No DRONLINE_API_KEY set: .*\n\(The base URL setting is ignored without a key\.\)\n\[ 1/13\]`, r.stdout)
	assertDemoSteps(t, r.stdout)
}
