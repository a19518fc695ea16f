package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

func TestUsageErrorsExit2(t *testing.T) {
	f := newFake(t)
	for _, tc := range []struct {
		args     []string
		message  string
		helpPath string
	}{
		{[]string{"appointments", "get", "apt_1", "--bogus"}, "error: unknown flag: --bogus", "dronline appointments get"},
		{[]string{"bogus"}, `error: unknown command "bogus" for "dronline"`, "dronline"},
		{[]string{"appointments", "bogus"}, `error: unknown command "bogus" for "dronline appointments"`, "dronline appointments"},
		{[]string{"appointments", "get"}, "error: dronline appointments get takes one APPOINTMENT_ID argument, got 0", "dronline appointments get"},
		{[]string{"slots", "list", "--limit", "x"}, `error: invalid argument "x" for "--limit" flag`, "dronline slots list"},
		{[]string{"slots", "list", "--limit", "-1"}, "error: --limit must be 0 (everything) or more", "dronline slots list"},
		{[]string{"slots", "list", "--from", "tomorrow"}, "error: --from must be an RFC 3339 time", "dronline slots list"},
		{[]string{"slots", "list", "--day", "31/10/2027"}, `error: --day "31/10/2027" is not a date: want YYYY-MM-DD`, "dronline slots list"},
		{[]string{"slots", "list", "--day", "2027-02-30"}, `error: --day "2027-02-30" is not a date: want YYYY-MM-DD, such as 2026-12-01`, "dronline slots list"},
		{[]string{"slots", "list", "--days", "3"}, "error: --days needs --day", "dronline slots list"},
		{[]string{"slots", "list", "--day", "2027-10-31", "--days", "0"}, "error: --days must be 1 or more", "dronline slots list"},
		{[]string{"slots", "list", "--day", "2027-10-31", "--from", "2027-10-31"}, "error: --day cannot be combined with --from or --to", "dronline slots list"},
		{[]string{"holds", "create"}, `error: required flag(s) "slot" not set`, "dronline holds create"},
		{[]string{"holds", "create", "--slot", "s", "--first-name", "Jane"}, "error: the patient needs --last-name", "dronline holds create"},
		{[]string{"holds", "create", "--slot", "s", "--metadata", "novalue"}, `error: --metadata takes key=value, got "novalue"`, "dronline holds create"},
		{append([]string{"appointments", "confirm", "apt_1", "--hold-token", "t", "--payment-reference", "p", "--date-of-birth", "12/04/1986"}, patientArgs[:8]...), "error: --date-of-birth must be a date as YYYY-MM-DD", "dronline appointments confirm"},
		{append([]string{"appointments", "confirm", "apt_1", "--hold-token", "t"}, patientArgs...), `error: required flag(s) "payment-reference" not set`, "dronline appointments confirm"},
		{[]string{"questionnaires", "get", "qst_1", "--appointment", "apt_1"}, "error: give a QUESTIONNAIRE_ID or --appointment, not both", "dronline questionnaires get"},
		{[]string{"version", "extra"}, `error: unknown command "extra" for "dronline version"`, "dronline version"},
	} {
		r := runCLI(t, f.env, tc.args...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.message, "%v", tc.args)
		assert.Contains(t, r.stderr, "Run '"+tc.helpPath+" --help' for usage.", "%v", tc.args)
		assert.Empty(t, r.stdout, "%v", tc.args)
	}
	assert.Empty(t, f.srv.Requests(), "no usage error reaches the API")
}

func TestAPIErrorExits1WithCodeAndRequestID(t *testing.T) {
	f := newFake(t)
	r := runCLI(t, f.env, "appointments", "get", "apt_missing")
	assert.Equal(t, exitAPI, r.code)
	reqs := f.srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "error: resource_missing: No such appointment: 'apt_missing'.\n"+
		"  status: 404\n"+
		"  param: appointment_id\n"+
		"  request_id: "+reqs[0].RequestID+"\n", r.stderr)
	assert.Empty(t, r.stdout)

	// The SDK's own refusal before sending is an API error too, without a request id.
	r = runCLI(t, f.env, "appointments", "get", "../account")
	assert.Equal(t, exitAPI, r.code)
	assert.Contains(t, r.stderr, "error: parameter_invalid: appointment_id is not a valid id\n  param: appointment_id\n")
	assert.Len(t, f.srv.Requests(), 1)
}

func TestConfigurationErrorsExit3(t *testing.T) {
	f := newFake(t)
	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		message string
	}{
		{"missing key", map[string]string{connected.EnvBaseURL: f.srv.URL()}, []string{"account"}, "error: DRONLINE_API_KEY is not set"},
		{"publishable key", map[string]string{connected.EnvAPIKey: "pk_test_secretvalue", connected.EnvBaseURL: f.srv.URL()}, []string{"account"}, "API key must start with sk_live_ or sk_sandbox_"},
		{"plain http base URL", map[string]string{connected.EnvAPIKey: f.srv.APIKey(), connected.EnvBaseURL: "http://api.example.test/v1"}, []string{"account"}, "base URL must use https"},
		{"bad --base-url", f.env, []string{"account", "--base-url", "ftp://127.0.0.1/v1"}, "base URL must use https"},
	} {
		r := runCLI(t, tc.env, tc.args...)
		assert.Equal(t, exitConfig, r.code, "%s: %s", tc.name, r.stderr)
		assert.Contains(t, r.stderr, tc.message, tc.name)
		assert.NotContains(t, r.stderr, "secretvalue", "%s: the key is never echoed", tc.name)
		assert.NotContains(t, r.stderr, f.srv.APIKey(), "%s: the key is never echoed", tc.name)
	}
	assert.Empty(t, f.srv.Requests())
}

func TestBaseURLFlagOverridesTheEnvironment(t *testing.T) {
	f := newFake(t)
	env := map[string]string{connected.EnvAPIKey: f.srv.APIKey(), connected.EnvBaseURL: "https://api.example.test/v1"}
	r := runCLI(t, env, "--base-url", f.srv.URL(), "account", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Len(t, f.srv.Requests(), 1)
}
