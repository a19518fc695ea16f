package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// runJSON runs a command that must succeed and decodes its stdout into T.
func runJSON[T any](t *testing.T, env map[string]string, args ...string) T {
	t.Helper()
	r := runCLI(t, env, args...)
	require.Equal(t, exitOK, r.code, "%v\nstdout:\n%s\nstderr:\n%s", args, r.stdout, r.stderr)
	var v T
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v), "stdout is JSON: %s", r.stdout)
	return v
}

// runOK runs a command that must succeed and returns its stdout.
func runOK(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	r := runCLI(t, env, args...)
	require.Equal(t, exitOK, r.code, "%v\nstdout:\n%s\nstderr:\n%s", args, r.stdout, r.stderr)
	return r.stdout
}

func TestAccount(t *testing.T) {
	f := newFake(t)
	want, err := f.sdk.Account.Get(t.Context())
	require.NoError(t, err)

	assert.Equal(t, *want, runJSON[connected.Account](t, f.env, "account", "--json"))
	out := runOK(t, f.env, "account")
	assert.Regexp(t, `(?m)^id\s+`+want.ID+`$`, out)
	assert.Regexp(t, `(?m)^features\s+questionnaires=true,reschedule=true$`, out)
}

func TestCatalogueLists(t *testing.T) {
	f := newFake(t)
	types, err := collect(f.sdk.AppointmentTypes.All(t.Context(), nil), 0)
	require.NoError(t, err)
	pracs, err := collect(f.sdk.Practitioners.All(t.Context(), nil), 0)
	require.NoError(t, err)

	assert.Equal(t, types, runJSON[[]connected.AppointmentType](t, f.env, "appointment-types", "list", "--json"))
	assert.Equal(t, pracs, runJSON[[]connected.Practitioner](t, f.env, "practitioners", "list", "--json"))
	assert.Equal(t, pracs[:2], runJSON[[]connected.Practitioner](t, f.env, "practitioners", "list", "--json", "--limit", "2"))

	out := runOK(t, f.env, "appointment-types", "list")
	assert.Regexp(t, `^ID\s+NAME\s+MINUTES\s+PRICE_IN_CENTS\s+QUESTIONNAIRE\n`, out)
	assert.Regexp(t, `(?m)^aptype_derm20\s+Dermatology review\s+20\s+8500\s+yes$`, out)
	assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 1+len(types))

	out = runOK(t, f.env, "practitioners", "list")
	assert.Regexp(t, `(?m)^prac_ahmed\s+Dr Sara Ahmed\s+General Practitioner\s+aptype_gp15,aptype_gp30$`, out)
}

func TestSlotsListPagesThroughEverythingUpToTheLimit(t *testing.T) {
	f := newFake(t)
	// More than one page of 100: --limit bounds the total, not the page.
	got := runJSON[[]connected.Slot](t, f.env, "slots", "list", "--json", "--limit", "150")
	require.Len(t, got, 150)
	want, err := collect(f.sdk.Slots.All(t.Context(), &connected.SlotListParams{Limit: connected.Ptr(100)}), 150)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	pages := 0
	for _, r := range f.srv.Requests() {
		if r.Method == http.MethodGet && r.Path == "/v1/connected/slots" {
			pages++
		}
	}
	assert.Equal(t, 4, pages, "two pages for the CLI, two for the expected list")

	// Filters reach the API.
	from := f.srv.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
	filtered := runJSON[[]connected.Slot](t, f.env, "slots", "list", "--json", "--type", "aptype_mh50", "--practitioner", "prac_chen", "--from", from, "--limit", "5")
	require.Len(t, filtered, 5)
	for _, s := range filtered {
		assert.Equal(t, "aptype_mh50", s.AppointmentTypeID)
		assert.Equal(t, "prac_chen", s.PractitionerID)
		assert.False(t, s.Start.Before(f.srv.Now().Add(72*time.Hour).Truncate(time.Second)))
	}

	out := runOK(t, f.env, "slots", "list", "--type", "aptype_gp15", "--limit", "3")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4)
	assert.Regexp(t, `^ID\s+START\s+END\s+APPOINTMENT_TYPE\s+PRACTITIONER$`, lines[0])
	assert.Regexp(t, `^slot_aptype_gp15\.\S+\s+\S+[+-]\d\d:\d\d\s+\S+[+-]\d\d:\d\d\s+aptype_gp15\s+prac_\w+$`, lines[1], "local time with its offset")
	out = runOK(t, f.env, "slots", "list", "--type", "aptype_gp15", "--limit", "1", "--utc")
	assert.Regexp(t, `(?m)^slot_aptype_gp15\.\S+\s+\S+Z\s+\S+Z\s+aptype_gp15\s+prac_\w+$`, out)
}

// TestSlotsListByLocalDay lists the days around Europe/London's change
// back to GMT in 2027 (Sunday 31 October, 25 hours long).
func TestSlotsListByLocalDay(t *testing.T) {
	f := newFake(t, connectedtest.WithStartTime(time.Date(2027, 10, 27, 12, 0, 0, 0, time.UTC)))
	london, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	first, err := connected.ParseDate("2027-10-30")
	require.NoError(t, err)
	from, to := connected.LocalDays(first, 3, london)
	want, err := collect(f.sdk.Slots.All(t.Context(), &connected.SlotListParams{StartGte: &from, StartLt: &to}), 0)
	require.NoError(t, err)
	require.NotEmpty(t, want)
	assert.Equal(t, want, runJSON[[]connected.Slot](t, f.env, "slots", "list", "--day", "2027-10-30", "--days", "3", "--json"), "--json: the API's objects")

	out := runOK(t, f.env, "slots", "list", "--day", "2027-10-30", "--days", "3")
	// Saturday in BST: Dr Chen from 08:00 local; Monday in GMT: Dr Ahmed
	// from 09:00 local.
	assert.Regexp(t, `(?m)^slot_aptype_gp15\.prac_chen\.\d+\s+2027-10-30T08:00:00\+01:00\s+2027-10-30T08:15:00\+01:00\s`, out)
	assert.Regexp(t, `(?m)^slot_aptype_gp15\.prac_ahmed\.\d+\s+2027-11-01T09:00:00\+00:00\s`, out)
	assert.NotContains(t, out, "2027-10-31T", "nobody works on Sunday")
	assert.NotContains(t, out, "2027-11-02T", "three days only")
	assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 1+len(want))

	out = runOK(t, f.env, "slots", "list", "--day", "2027-10-30", "--utc", "--type", "aptype_gp15")
	assert.Regexp(t, `(?m)^slot_aptype_gp15\.prac_chen\.\d+\s+2027-10-30T07:00:00Z\s`, out)
	assert.NotContains(t, out, "2027-11-01T")

	out = runOK(t, f.env, "slots", "list", "--day", "2027-11-01", "--timezone", "Asia/Tokyo", "--type", "aptype_gp15")
	assert.Regexp(t, `(?m)^slot_aptype_gp15\.prac_ahmed\.\d+\s+2027-11-01T18:00:00\+09:00\s`, out, "Monday 09:00 GMT is 18:00 in Tokyo")

	// More than 31 days: several queries, one list.
	long := runJSON[[]connected.Slot](t, f.env, "slots", "list", "--day", "2027-10-28", "--days", "40", "--json", "--type", "aptype_mh50")
	from, to = connected.LocalDays(mustParseDate(t, "2027-10-28"), 40, london)
	want, err = collect(f.sdk.Slots.All(t.Context(), &connected.SlotListParams{StartGte: &from, StartLt: &to, AppointmentTypeID: connected.Ptr("aptype_mh50")}), 0)
	require.NoError(t, err)
	assert.Equal(t, want, long)
	assert.NotEmpty(t, long)
}

func mustParseDate(t *testing.T, s string) connected.Date {
	t.Helper()
	d, err := connected.ParseDate(s)
	require.NoError(t, err)
	return d
}

func TestSlotsValidate(t *testing.T) {
	f := newFake(t)
	slot := f.slotAhead(t, "aptype_gp15")
	want, err := f.sdk.Slots.Validate(t.Context(), &connected.SlotValidateParams{SlotID: slot.ID})
	require.NoError(t, err)
	assert.Equal(t, *want, runJSON[connected.SlotValidation](t, f.env, "slots", "validate", slot.ID, "--json"))
	out := runOK(t, f.env, "slots", "validate", slot.ID)
	assert.Regexp(t, `(?m)^available\s+yes$`, out)
	assert.Regexp(t, `(?m)^practitioner\s+`+slot.PractitionerID+`$`, out)
}

// TestBookingCommands walks hold → confirm → get → list → patient →
// questionnaire → reschedule → cancel through the CLI alone.
func TestBookingCommands(t *testing.T) {
	f := newFake(t)
	slot := f.slotAhead(t, "aptype_derm20")

	hold := runJSON[connected.AppointmentHold](t, f.env, append([]string{"holds", "create", "--json", "--slot", slot.ID,
		"--metadata", "order_id=ord_1", "--idempotency-key", "hold-key-1"}, patientArgs...)...)
	assert.Equal(t, slot.ID, hold.SlotID)
	assert.Equal(t, map[string]string{"order_id": "ord_1"}, hold.Metadata)
	assert.NotEmpty(t, nullString(hold.PatientID))
	require.NotEmpty(t, hold.HoldToken, "holds create is the command that prints the token")
	recorded := f.srv.Requests()
	assert.Equal(t, "hold-key-1", recorded[len(recorded)-1].IdempotencyKey)

	confirmed := runJSON[connected.Appointment](t, f.env, append([]string{"appointments", "confirm", hold.AppointmentID,
		"--hold-token", hold.HoldToken, "--payment-reference", "pay_1", "--partner-reference", "ref_1", "--json"}, patientArgs...)...)
	got, err := f.sdk.Appointments.Get(t.Context(), confirmed.ID)
	require.NoError(t, err)
	assert.Equal(t, *got, confirmed)
	assert.Equal(t, "pay_1", got.ExternalPaymentReference)
	assert.Equal(t, "ref_1", nullString(got.PartnerReference))
	assert.Equal(t, "Jane", got.Patient.FirstName)

	// get: --json is exactly what the SDK returns; the table shows ids, not the patient.
	assert.Equal(t, *got, runJSON[connected.Appointment](t, f.env, "appointments", "get", got.ID, "--json"))
	out := runOK(t, f.env, "appointments", "get", got.ID)
	assert.Regexp(t, `(?m)^status\s+confirmed$`, out)
	assert.Regexp(t, `(?m)^patient_id\s+`+got.Patient.ID+`$`, out)
	assert.NotContains(t, out, "jane.doe@example.com")

	// list, reconciling by either reference.
	other := f.book(t, "aptype_gp15", "ref_2")
	assert.Equal(t, []connected.Appointment{*got}, runJSON[[]connected.Appointment](t, f.env, "appointments", "list", "--partner-reference", "ref_1", "--json"))
	assert.Equal(t, []connected.Appointment{*got}, runJSON[[]connected.Appointment](t, f.env, "appointments", "list", "--payment-reference", "pay_1", "--json"))
	all := runJSON[[]connected.Appointment](t, f.env, "appointments", "list", "--json")
	assert.Len(t, all, 2)
	assert.Len(t, runJSON[[]connected.Appointment](t, f.env, "appointments", "list", "--json", "--limit", "1"), 1)
	out = runOK(t, f.env, "appointments", "list")
	assert.Contains(t, out, other.ID)
	assert.Regexp(t, `(?m)^`+got.ID+`\s+confirmed\s+\S+\s+aptype_derm20\s+prac_baker\s+pat_\w+\s+ref_1$`, out)

	// patient
	wantPatient, err := f.sdk.Patients.Get(t.Context(), got.Patient.ID)
	require.NoError(t, err)
	assert.Equal(t, *wantPatient, runJSON[connected.Patient](t, f.env, "patients", "get", got.Patient.ID, "--json"))
	assert.Regexp(t, `(?m)^date_of_birth\s+1986-04-12$`, runOK(t, f.env, "patients", "get", got.Patient.ID))

	// questionnaire, by id and by appointment
	qID := nullString(got.QuestionnaireID)
	wantQ, err := f.sdk.Questionnaires.Get(t.Context(), qID)
	require.NoError(t, err)
	assert.Equal(t, *wantQ, runJSON[connected.Questionnaire](t, f.env, "questionnaires", "get", qID, "--json"))
	assert.Equal(t, *wantQ, runJSON[connected.Questionnaire](t, f.env, "questionnaires", "get", "--appointment", got.ID, "--json"))
	assert.Regexp(t, `(?m)^status\s+pending$`, runOK(t, f.env, "questionnaires", "get", qID))

	// reschedule to a slot an hour later, same type and practitioner
	from, to := got.Start.Add(time.Hour), got.OriginalStart.Add(47*time.Hour)
	page, err := f.sdk.Slots.List(t.Context(), &connected.SlotListParams{Limit: connected.Ptr(1),
		AppointmentTypeID: &got.AppointmentTypeID, PractitionerID: &got.PractitionerID, StartGte: &from, StartLt: &to})
	require.NoError(t, err)
	require.NotEmpty(t, page.Data)
	moved := runJSON[connected.Appointment](t, f.env, "appointments", "reschedule", got.ID, "--slot", page.Data[0].ID, "--json")
	assert.Equal(t, 1, moved.RescheduleCount)
	assert.True(t, moved.Start.Equal(page.Data[0].Start))

	// a second reschedule is refused by the policy: an API error
	r := runCLI(t, f.env, "appointments", "reschedule", got.ID, "--slot", slot.ID)
	assert.Equal(t, exitAPI, r.code)
	assert.Contains(t, r.stderr, "error: reschedule_limit_reached:")

	// cancel, in the table form
	out = runOK(t, f.env, "appointments", "cancel", got.ID)
	assert.Regexp(t, `(?m)^status\s+cancelled$`, out)
	assert.Regexp(t, `(?m)^cancelled_at\s+\S+Z$`, out)
}

func TestHoldsCreateTableShowsTheTokenAndHowToConfirm(t *testing.T) {
	f := newFake(t)
	slot := f.slotAhead(t, "aptype_gp15")
	out := runOK(t, f.env, "holds", "create", "--slot", slot.ID)
	assert.Regexp(t, `(?m)^hold_token\s+aht_\w+$`, out)
	assert.Regexp(t, `(?m)^patient_id\s+-$`, out, "no patient given")
	assert.Regexp(t, `dronline appointments confirm apt_blk_\w+ --hold-token aht_\w+ --payment-reference REF`, out)
}

func TestRetriesShowOnStderr(t *testing.T) {
	f := newFake(t)
	f.srv.InjectFault(connectedtest503(t))
	r := runCLI(t, f.env, "account")
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	require.Len(t, lines, 1, "one line per retried attempt: %s", r.stderr)
	assert.Regexp(t, `^retrying GET /connected/account: attempt 1 got HTTP 503 service_unavailable, request \S+; next attempt in \S+$`, lines[0])
	assert.NotContains(t, r.stderr, f.srv.APIKey())
}
