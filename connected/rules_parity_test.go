package connected_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// The contract's rules are written once (package contract: the limits
// generated from the spec, the few rules the documentation states only in
// prose, and the checks the SDK and the fake both run). TestContractRules
// holds them to the spec. Each case is a hold or a confirm with one field
// at a boundary, in characters that are not bytes ("é", an emoji), and
// states the verdict. For each:
//
//   - the spec alone, validated by kin-openapi as the fake's spec
//     validation does, refuses the request exactly when the case says the
//     spec states the rule (a prose rule is not in it);
//   - the fake, with spec validation on, answers the verdict to a plain
//     HTTP request, and never answers 2xx to what the spec forbids;
//   - the SDK gives the same verdict, refusing before sending exactly when
//     it is a refusal.
//
// The numbers are written here on purpose: if the spec or a check moves a
// limit, the case at the old boundary fails.

type ruleCase struct {
	name    string
	confirm bool // a confirm; else a hold with a patient
	edit    func(*ruleInput)
	want    verdict
	spec    bool // the spec's schema itself refuses the request
}

// ruleInput is one request's inputs, valid until a case edits it.
type ruleInput struct {
	hold    connected.HoldParams
	confirm connected.ConfirmParams
	key     *string // Idempotency-Key
	n       int     // the request's number, which makes its keys unique
	token   string  // X-Appointment-Hold-Token of a confirm
}

// verdict is what a request gets: a 2xx (zero), or an error's code and
// param.
type verdict struct {
	code  connected.ErrorCode
	param string
}

var accepted verdict

// formCodes are the codes of the rules about a request's form, the only
// refusals the SDK makes before sending: any other needs the server's
// state.
var formCodes = map[connected.ErrorCode]bool{
	connected.ErrorCodeParameterMissing:    true,
	connected.ErrorCodeParameterInvalid:    true,
	connected.ErrorCodeMetadataKeyReserved: true,
}

func missingParam(param string) verdict { return verdict{connected.ErrorCodeParameterMissing, param} }
func invalidParam(param string) verdict { return verdict{connected.ErrorCodeParameterInvalid, param} }
func reservedKey(param string) verdict  { return verdict{connected.ErrorCodeMetadataKeyReserved, param} }

func keys(n int, prefix string) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[fmt.Sprintf("%s%d", prefix, i)] = "v"
	}
	return m
}

func email(n int) string {
	const domain = "@example.com"
	return strings.Repeat("a", n-len(domain)) + domain
}

func ruleCases() []ruleCase {
	é, emoji := "é", "😀"
	patient := func(f func(p *connected.PatientInput)) func(*ruleInput) {
		return func(in *ruleInput) { f(in.hold.Patient) }
	}
	confirm := func(f func(c *connected.ConfirmParams)) func(*ruleInput) {
		return func(in *ruleInput) { f(&in.confirm) }
	}
	// n characters: n-1 of s, then one unique to the request, as a key
	// is used once.
	key := func(s string, n int) func(*ruleInput) {
		return func(in *ruleInput) {
			k := strings.Repeat(s, n-1) + string(rune('a'+in.n%26))
			in.key = &k
		}
	}
	return []ruleCase{
		{"valid hold", false, func(*ruleInput) {}, accepted, false},
		{"empty slot_id", false, func(in *ruleInput) { in.hold.SlotID = "" }, missingParam("slot_id"), true},
		{"slot_id of a no-break space", false, func(in *ruleInput) { in.hold.SlotID = "\u00a0" }, verdict{connected.ErrorCodeResourceMissing, "slot_id"}, false},
		{"first_name of 100 é", false, patient(func(p *connected.PatientInput) { p.FirstName = strings.Repeat(é, 100) }), accepted, false},
		{"first_name of 101 é", false, patient(func(p *connected.PatientInput) { p.FirstName = strings.Repeat(é, 101) }), invalidParam("patient[first_name]"), true},
		{"last_name of 100 emoji", false, patient(func(p *connected.PatientInput) { p.LastName = strings.Repeat(emoji, 100) }), accepted, false},
		{"last_name of 101 emoji", false, patient(func(p *connected.PatientInput) { p.LastName = strings.Repeat(emoji, 101) }), invalidParam("patient[last_name]"), true},
		{"email of 254 characters", false, patient(func(p *connected.PatientInput) { p.Email = email(254) }), accepted, false},
		{"email of 255 characters", false, patient(func(p *connected.PatientInput) { p.Email = email(255) }), invalidParam("patient[email]"), true},
		{"email of two addresses", false, patient(func(p *connected.PatientInput) { p.Email = "a@example.com, b@example.com" }), invalidParam("patient[email]"), false},
		{"phone of 32 é", false, patient(func(p *connected.PatientInput) { p.Phone = connected.Ptr(strings.Repeat(é, 32)) }), accepted, false},
		{"phone of 33 é", false, patient(func(p *connected.PatientInput) { p.Phone = connected.Ptr(strings.Repeat(é, 33)) }), invalidParam("patient[phone]"), true},
		{"sex not of the enum", false, patient(func(p *connected.PatientInput) { p.Sex = "Female" }), invalidParam("patient[sex]"), true},
		{"date_of_birth missing before sex", false, patient(func(p *connected.PatientInput) { p.DateOfBirth, p.Sex = connected.Date{}, "" }), missingParam("patient[date_of_birth]"), true},
		{"50 metadata keys", false, func(in *ruleInput) { in.hold.Metadata = keys(50, "k") }, accepted, false},
		{"51 metadata keys", false, func(in *ruleInput) { in.hold.Metadata = keys(51, "k") }, invalidParam("metadata"), true},
		{"51 patient metadata keys", false, patient(func(p *connected.PatientInput) { p.Metadata = keys(51, "k") }), invalidParam("patient[metadata]"), true},
		{"metadata value of 500 é", false, func(in *ruleInput) { in.hold.Metadata = map[string]string{"k": strings.Repeat(é, 500)} }, accepted, false},
		{"metadata value of 501 é", false, func(in *ruleInput) { in.hold.Metadata = map[string]string{"k": strings.Repeat(é, 501)} }, invalidParam("metadata[k]"), true},
		{"metadata key of 40 é", false, func(in *ruleInput) { in.hold.Metadata = map[string]string{strings.Repeat(é, 40): "v"} }, accepted, false},
		{"metadata key of 41 é", false, func(in *ruleInput) { in.hold.Metadata = map[string]string{strings.Repeat(é, 41): "v"} }, invalidParam("metadata[" + strings.Repeat(é, 41) + "]"), false},
		{"metadata key dronline_x", false, func(in *ruleInput) { in.hold.Metadata = map[string]string{"dronline_x": "v"} }, reservedKey("metadata[dronline_x]"), false},
		{"metadata key Dronline_x", false, func(in *ruleInput) { in.hold.Metadata = map[string]string{"Dronline_x": "v"} }, accepted, false},
		{"patient metadata key dronline", false, patient(func(p *connected.PatientInput) { p.Metadata = map[string]string{"dronline": "v"} }), reservedKey("patient[metadata][dronline]"), false},
		{"Idempotency-Key of 255 é", false, key(é, 255), accepted, false},
		{"Idempotency-Key of 256 é", false, key(é, 256), invalidParam("Idempotency-Key"), true},
		{"valid confirm", true, func(*ruleInput) {}, accepted, false},
		{"hold token of spaces", true, func(in *ruleInput) { in.token = "  " }, missingParam("X-Appointment-Hold-Token"), false},
		{"external_payment_reference of 255 é", true, confirm(func(c *connected.ConfirmParams) { c.ExternalPaymentReference = strings.Repeat(é, 255) }), accepted, false},
		{"external_payment_reference of 256 é", true, confirm(func(c *connected.ConfirmParams) { c.ExternalPaymentReference = strings.Repeat(é, 256) }), invalidParam("external_payment_reference"), true},
		{"external_payment_reference empty", true, confirm(func(c *connected.ConfirmParams) { c.ExternalPaymentReference = "" }), missingParam("external_payment_reference"), true},
		{"partner_reference of 255 emoji", true, confirm(func(c *connected.ConfirmParams) { c.PartnerReference = connected.Ptr(strings.Repeat(emoji, 255)) }), accepted, false},
		{"partner_reference of 256 emoji", true, confirm(func(c *connected.ConfirmParams) { c.PartnerReference = connected.Ptr(strings.Repeat(emoji, 256)) }), invalidParam("partner_reference"), true},
		{"partner_reference empty", true, confirm(func(c *connected.ConfirmParams) { c.PartnerReference = connected.Ptr("") }), invalidParam("partner_reference"), true},
	}
}

func TestContractRules(t *testing.T) {
	srv := connectedtest.NewServer(connectedtest.WithStartTime(start), connectedtest.WithSpecValidation(true), connectedtest.WithRequestRecording(false))
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	sent := 0
	counting := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent++
		return tr.RoundTrip(r)
	})
	// No retries: a 500 for a spec violation must be the verdict.
	c, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()), connected.WithMaxRetries(0), connected.WithHTTPClient(&http.Client{Transport: counting}))
	require.NoError(t, err)
	e := &ruleEnv{t: t, c: c, srv: srv, hc: &http.Client{Transport: tr}, spec: specRouter(t)}

	for _, tc := range ruleCases() {
		t.Run(tc.name, func(t *testing.T) {
			e.t = t
			// The spec alone.
			in, path, header := e.input(tc)
			err := e.specVerdict(path, header, in, tc.confirm)
			assert.Equal(t, tc.spec, err != nil, "the spec refuses it: %v", err)

			// The fake, as plain HTTP: no SDK check sees it.
			assert.Equal(t, tc.want, e.viaHTTP(path, header, in, tc.confirm), "the fake's verdict")

			// The SDK, on a request of its own.
			in, path, _ = e.input(tc)
			before := sent
			got := e.viaSDK(path, in, tc.confirm)
			assert.Equal(t, tc.want, got, "the SDK's verdict")
			assert.Equal(t, !formCodes[tc.want.code], sent > before, "the SDK sends exactly what the rules accept")
		})
	}
	assert.Empty(t, srv.SpecViolations(), "no 2xx to a request the spec forbids, and every response as the spec says")
}

type ruleEnv struct {
	t        *testing.T
	c        *connected.Client
	srv      *connectedtest.Server
	hc       *http.Client
	spec     *specRoutes
	slots    []string
	lastSlot string
	n        int
}

// slot returns a free slot no request has used yet.
func (e *ruleEnv) slot() string {
	e.t.Helper()
	if len(e.slots) == 0 {
		p := &connected.SlotListParams{AppointmentTypeID: connected.Ptr("aptype_gp15"), Limit: connected.Ptr(100)}
		if e.n > 0 {
			p.StartingAfter = connected.Ptr(e.lastSlot)
		}
		page, err := e.c.Slots.List(context.Background(), p)
		require.NoError(e.t, err)
		require.NotEmpty(e.t, page.Data)
		for _, s := range page.Data {
			e.slots = append(e.slots, s.ID)
		}
	}
	s := e.slots[0]
	e.slots, e.lastSlot = e.slots[1:], s
	e.n++
	return s
}

// input makes tc's request: a hold of a fresh slot with a patient of a
// fresh email, or a confirm of a fresh hold, edited by tc. It returns the
// request's inputs, path and headers.
func (e *ruleEnv) input(tc ruleCase) (in ruleInput, path string, header http.Header) {
	e.t.Helper()
	p := patient()
	p.Email = fmt.Sprintf("patient%d@example.com", e.n)
	header = http.Header{}
	in.n = e.n
	if tc.confirm {
		h, err := e.c.Holds.Create(context.Background(), &connected.HoldParams{SlotID: e.slot()})
		require.NoError(e.t, err)
		in.confirm = connected.ConfirmParams{Patient: p, ExternalPaymentReference: "pi_1"}
		path, in.token = "/connected/appointments/"+h.AppointmentID+"/confirm", h.HoldToken
	} else {
		in.hold = connected.HoldParams{SlotID: e.slot(), Patient: &p}
		path = "/connected/appointment_holds"
	}
	tc.edit(&in)
	if tc.confirm {
		header["X-Appointment-Hold-Token"] = []string{in.token}
	}
	if in.key != nil {
		header["Idempotency-Key"] = []string{*in.key}
	}
	return in, path, header
}

func body(in ruleInput, confirm bool) []byte {
	var v any = in.hold
	if confirm {
		v = in.confirm
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func (e *ruleEnv) viaHTTP(path string, header http.Header, in ruleInput, confirm bool) verdict {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL()+path, bytes.NewReader(body(in, confirm)))
	require.NoError(e.t, err)
	req.Header = header.Clone()
	req.Header.Set("Authorization", "Bearer "+e.srv.APIKey())
	req.Header.Set("Content-Type", "application/json")
	res, err := e.hc.Do(req)
	require.NoError(e.t, err)
	defer func() { _ = res.Body.Close() }()
	out, err := io.ReadAll(res.Body)
	require.NoError(e.t, err)
	if res.StatusCode < 300 {
		return accepted
	}
	var env struct {
		Error struct {
			Code  connected.ErrorCode `json:"code"`
			Param *string             `json:"param"`
		} `json:"error"`
	}
	require.NoError(e.t, json.Unmarshal(out, &env), "%d %s", res.StatusCode, out)
	v := verdict{code: env.Error.Code}
	if env.Error.Param != nil {
		v.param = *env.Error.Param
	}
	return v
}

func (e *ruleEnv) viaSDK(path string, in ruleInput, confirm bool) verdict {
	e.t.Helper()
	var opts []connected.CallOption
	if in.key != nil {
		opts = append(opts, connected.WithIdempotencyKey(*in.key))
	}
	var err error
	if confirm {
		id := strings.TrimSuffix(strings.TrimPrefix(path, "/connected/appointments/"), "/confirm")
		_, err = e.c.Appointments.Confirm(context.Background(), id, in.token, &in.confirm, opts...)
	} else {
		_, err = e.c.Holds.Create(context.Background(), &in.hold, opts...)
	}
	if err == nil {
		return accepted
	}
	var apiErr *connected.Error
	require.True(e.t, errors.As(err, &apiErr), "%T: %v", err, err)
	return verdict{apiErr.Code, apiErr.Param}
}

// specRoutes is the pinned spec, routed for kin-openapi's validation.
type specRoutes struct{ router routers.Router }

func specRouter(t *testing.T) *specRoutes {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec())
	require.NoError(t, err)
	doc.Servers = nil
	r, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	return &specRoutes{router: r}
}

// specVerdict validates the request against the spec alone, with the
// options of the fake's spec validation.
func (e *ruleEnv) specVerdict(path string, header http.Header, in ruleInput, confirm bool) error {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, path, bytes.NewReader(body(in, confirm)))
	require.NoError(e.t, err)
	req.Header = header.Clone()
	req.Header.Set("Authorization", "Bearer "+e.srv.APIKey())
	req.Header.Set("Content-Type", "application/json")
	route, params, err := e.spec.router.FindRoute(req)
	require.NoError(e.t, err)
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{
			SkipSettingDefaults: true,
			AuthenticationFunc:  func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
		},
	})
}
