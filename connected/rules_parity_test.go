package connected_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// The SDK refuses some requests before sending them, promising the code
// and param the server would give and never refusing what the server
// accepts. The client's rules and the fake's are written separately, so
// TestClientRulesMatchServer sends every input of parityCases twice to the
// same fake: once through the SDK, whose checks may refuse it, and once
// as plain net/http with the same body, which only the fake judges. Each
// case also states the contract's verdict, so the two cannot agree on a
// wrong one either. It runs with the fake's spec validation off (the
// fake's own rules alone) and on (where a 2xx to a request the spec
// forbids, or a response it forbids, becomes a 500 and fails the case).

// parityOp is the operation a case calls.
type parityOp int

const (
	opHold parityOp = iota
	opConfirm
	opReschedule
	opValidate
)

// parityInput is one request's inputs. A case edits a valid one: a free
// slot to hold, validate or reschedule to, a fresh hold to confirm, and a
// patient of its own (a stored patient's metadata accumulates over
// writes, and 50 keys is the limit).
type parityInput struct {
	patient    connected.PatientInput
	hold       connected.HoldParams
	confirm    connected.ConfirmParams
	token      string // the confirm's X-Appointment-Hold-Token
	reschedule connected.RescheduleParams
	slotID     string  // of a slot validation
	key        *string // Idempotency-Key, if the case sets one
}

// verdict is what a request gets: a 2xx (zero code), or an error's code
// and param.
type verdict struct {
	code  connected.ErrorCode
	param string
}

var accepted verdict

func refused(code connected.ErrorCode, param string) verdict { return verdict{code, param} }

type parityCase struct {
	name string
	op   parityOp
	edit func(*parityInput)
	want verdict
}

// formCodes are the codes of the contract's rules about a request's form,
// the only refusals the SDK may make before sending. Any other refusal
// (hold_token_invalid for a well-formed but wrong token, resource_missing)
// needs the server's state.
var formCodes = map[connected.ErrorCode]bool{
	connected.ErrorCodeParameterMissing:    true,
	connected.ErrorCodeParameterInvalid:    true,
	connected.ErrorCodeMetadataKeyReserved: true,
}

func TestClientRulesMatchServer(t *testing.T) {
	cases := parityCases()
	for _, spec := range []bool{false, true} {
		t.Run(fmt.Sprintf("spec validation %v", spec), func(t *testing.T) {
			p := newParityEnv(t, spec)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					sdk, sent := p.viaSDK(t, tc)
					raw, status := p.viaHTTP(t, tc)
					assert.Equal(t, tc.want, raw, "the fake's verdict on the plain request")
					assert.Equal(t, tc.want, sdk, "the SDK's verdict")
					form := status == http.StatusBadRequest && formCodes[raw.code]
					assert.Equal(t, form, !sent, "the SDK refuses before sending exactly when the fake refuses the request's form (fake's status %d)", status)
				})
			}
		})
	}
}

// parityEnv is one fake with two credentials: one for the SDK's requests,
// one for the plain ones. Each has its own slots, patients and idempotency
// keys, so a case's two requests cannot meet; both set up with an SDK
// client.
type parityEnv struct {
	sdk, raw     *slotPool
	sdkTransport *countingTransport
	url, rawKey  string
	hc           *http.Client
	patients     int
}

// countingTransport counts the requests the SDK hands to the network.
type countingTransport struct {
	n    int
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n++
	return c.next.RoundTrip(r)
}

// slotPool hands out free slots of one credential. Listing free slots is
// the fake's dearest call, so it lists a page at a time and hands out a
// slot until a request takes it. They are all of one 15-minute type, so
// holding one never makes another busy.
type slotPool struct {
	c    *connected.Client
	free []connected.Slot
	last string
}

func (p *slotPool) slot(t *testing.T) string {
	t.Helper()
	if len(p.free) == 0 {
		params := &connected.SlotListParams{AppointmentTypeID: connected.Ptr("aptype_gp15"), Limit: connected.Ptr(100)}
		if p.last != "" {
			params.StartingAfter = &p.last
		}
		page, err := p.c.Slots.List(context.Background(), params)
		require.NoError(t, err)
		require.NotEmpty(t, page.Data, "a free slot")
		p.free = page.Data
	}
	return p.free[0].ID
}

// taken moves past the slot last handed out: a request took it.
func (p *slotPool) taken() {
	p.last = p.free[0].ID
	p.free = p.free[1:]
}

func newParityEnv(t *testing.T, spec bool) *parityEnv {
	t.Helper()
	srv := connectedtest.NewServer(connectedtest.WithStartTime(start), connectedtest.WithSpecValidation(spec), connectedtest.WithRequestRecording(false))
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
		assert.Empty(t, srv.SpecViolations(), "every request and response follows the contract")
	})
	counter := &countingTransport{next: tr}
	client := func(key string, rt http.RoundTripper) *connected.Client {
		// No retries: a 500 for a spec violation must be the verdict.
		c, err := connected.NewClient(key, connected.WithBaseURL(srv.URL()), connected.WithMaxRetries(0), connected.WithHTTPClient(&http.Client{Transport: rt}))
		require.NoError(t, err)
		return c
	}
	rawKey := srv.AddCredential()
	return &parityEnv{
		sdk: &slotPool{c: client(srv.APIKey(), counter)}, raw: &slotPool{c: client(rawKey, tr)},
		sdkTransport: counter, url: srv.URL(), rawKey: rawKey, hc: &http.Client{Transport: tr},
	}
}

// input makes the valid request tc edits, set up in pool's credential,
// and edits it.
func (p *parityEnv) input(t *testing.T, pool *slotPool, tc parityCase) (in parityInput, appointmentID string) {
	t.Helper()
	p.patients++
	in.patient = patient()
	in.patient.Email = fmt.Sprintf("patient%d@example.com", p.patients)
	switch tc.op {
	case opHold:
		in.hold = connected.HoldParams{SlotID: pool.slot(t)}
	case opConfirm:
		h, err := pool.c.Holds.Create(context.Background(), &connected.HoldParams{SlotID: pool.slot(t)})
		require.NoError(t, err)
		pool.taken()
		in.confirm = connected.ConfirmParams{Patient: in.patient, ExternalPaymentReference: "pi_1"}
		in.token, appointmentID = h.HoldToken, h.AppointmentID
	case opReschedule:
		// No such appointment: the fake checks slot_id first, and a slot_id
		// that passes meets resource_missing, which needs no booking.
		in.reschedule = connected.RescheduleParams{SlotID: pool.slot(t)}
		appointmentID = "apt_none"
	case opValidate:
		in.slotID = pool.slot(t)
	}
	tc.edit(&in)
	return in, appointmentID
}

// done notes that a request was answered with status (0: not sent). A
// hold took its slot unless it was refused: after a 5xx it may have.
func done(pool *slotPool, tc parityCase, status int) {
	if tc.op == opHold && (status > 0 && status < 400 || status >= 500) {
		pool.taken()
	}
}

// viaSDK calls the SDK's method and reports its verdict and whether any
// request reached the fake.
func (p *parityEnv) viaSDK(t *testing.T, tc parityCase) (verdict, bool) {
	t.Helper()
	in, id := p.input(t, p.sdk, tc)
	c := p.sdk.c
	var opts []connected.CallOption
	if in.key != nil {
		opts = append(opts, connected.WithIdempotencyKey(*in.key))
	}
	ctx := context.Background()
	before := p.sdkTransport.n
	var err error
	switch tc.op {
	case opHold:
		_, err = c.Holds.Create(ctx, &in.hold, opts...)
	case opConfirm:
		_, err = c.Appointments.Confirm(ctx, id, in.token, &in.confirm, opts...)
	case opReschedule:
		_, err = c.Appointments.Reschedule(ctx, id, &in.reschedule, opts...)
	case opValidate:
		_, err = c.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: in.slotID}, opts...)
	}
	sent := p.sdkTransport.n > before
	v, status := accepted, http.StatusOK
	if err != nil {
		var apiErr *connected.Error
		require.True(t, errors.As(err, &apiErr), "%T: %v", err, err)
		assert.Equal(t, sent, apiErr.StatusCode != 0, "StatusCode is 0 exactly when nothing was sent")
		v, status = verdict{apiErr.Code, apiErr.Param}, apiErr.StatusCode
	}
	done(p.sdk, tc, status)
	return v, sent
}

// viaHTTP sends the same request as plain net/http, which no SDK check
// sees, and reports the fake's verdict and status.
func (p *parityEnv) viaHTTP(t *testing.T, tc parityCase) (verdict, int) {
	t.Helper()
	in, id := p.input(t, p.raw, tc)
	var path string
	var body any
	header := http.Header{}
	switch tc.op {
	case opHold:
		path, body = "/connected/appointment_holds", in.hold
	case opConfirm:
		path, body = "/connected/appointments/"+id+"/confirm", in.confirm
		header["X-Appointment-Hold-Token"] = []string{in.token}
	case opReschedule:
		path, body = "/connected/appointments/"+id+"/reschedule", in.reschedule
	case opValidate:
		path, body = "/connected/slots/validate", map[string]string{"slot_id": in.slotID}
	}
	if in.key != nil {
		// Set as is: net/http sends a header even when its value is empty.
		header["Idempotency-Key"] = []string{*in.key}
	}
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, p.url+path, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header = header
	req.Header.Set("Authorization", "Bearer "+p.rawKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := p.hc.Do(req)
	require.NoError(t, err)
	defer func() { _ = res.Body.Close() }()
	out, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	done(p.raw, tc, res.StatusCode)
	if res.StatusCode < 300 {
		return accepted, res.StatusCode
	}
	var e struct {
		Error struct {
			Code  connected.ErrorCode `json:"code"`
			Param *string             `json:"param"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal(out, &e), "%d %s", res.StatusCode, out)
	v := verdict{code: e.Error.Code}
	if e.Error.Param != nil {
		v.param = *e.Error.Param
	}
	return v, res.StatusCode
}
