package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/dronline/connected-go/connected"
)

// opResult is what verify learned about one operation (or one error
// answer it provoked): its line of output.
type opResult struct {
	Name      string    `json:"name"`
	Method    string    `json:"method,omitempty"`
	Path      string    `json:"path,omitempty"` // the contract's template: never an id
	Status    int       `json:"status,omitempty"`
	RequestID string    `json:"request_id,omitempty"`
	Findings  []finding `json:"findings"`
	Problem   string    `json:"problem,omitempty"` // why the flow could not go on; not a finding
	Skipped   string    `json:"skipped,omitempty"`
}

func (o *opResult) count(kind string) int {
	n := 0
	for _, f := range o.Findings {
		if f.Kind == kind {
			n++
		}
	}
	return n
}

// errAuth stops the run at the first 401: every further request would be
// refused the same way.
var errAuth = errors.New("the API refused the key")

// verifier runs the documented flow once, one request at a time, and
// checks every exchange against the contract.
type verifier struct {
	client   *connected.Client
	rec      *recorder
	checker  *contractChecker
	now      func() time.Time
	readOnly bool
	runRef   string          // the partner_reference naming this run
	onOp     func(*opResult) // called as each operation completes

	ops        []*opResult
	authErr    *connected.Error       // the 401 that stopped the run
	incomplete bool                   // a step could not complete: the rest was not checked
	booked     string                 // the appointment this run confirmed and has not cancelled yet
	leftBooked string                 // the one the clean-up could not cancel
	last       connected.ResponseInfo // of the last call
}

// call sends one operation through the SDK's client (Client.Do with the
// contract's template) and checks every attempt the recorder saw. It
// returns the status and the API's error, or err when no answer came.
func (v *verifier) call(ctx context.Context, op *opResult, method, template string, params *connected.RawParams, body any, out *json.RawMessage, opts ...connected.CallOption) (int, *connected.Error, error) {
	var pathParams map[string]string
	if params != nil {
		pathParams = params.Path
	}
	v.rec.expect(template, pathParams)
	var info connected.ResponseInfo
	var dst any // a nil *json.RawMessage in an interface would not be nil
	if out != nil {
		dst = out
	}
	err := v.client.Do(ctx, method, template, params, body, dst, append(opts, connected.WithResponseInfo(&info))...)
	for _, ex := range v.rec.take() {
		op.Findings = append(op.Findings, v.checker.check(ex)...)
	}
	op.Findings = dedupe(op.Findings)
	op.Method, op.Path, op.Status, op.RequestID = method, template, info.StatusCode, info.RequestID
	v.last = info
	var apiErr *connected.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode >= 300 {
		if apiErr.StatusCode == http.StatusUnauthorized {
			v.authErr = apiErr
			return apiErr.StatusCode, apiErr, errAuth
		}
		return apiErr.StatusCode, apiErr, nil
	}
	if err != nil {
		return 0, nil, err
	}
	return info.StatusCode, nil, nil
}

// step is one operation of the flow. It returns an error when the flow
// cannot go on; findings go into op.
type step struct {
	name  string
	write bool // skipped with --read-only
	run   func(ctx context.Context, op *opResult) error
}

// run goes through steps in order, stopping at the first that cannot
// complete, then cancels what the run booked.
func (v *verifier) run(ctx context.Context, steps []step) {
	stopped := false
	for _, s := range steps {
		op := &opResult{Name: s.name, Findings: []finding{}}
		switch {
		case stopped:
			continue
		case s.write && v.readOnly:
			op.Skipped = "--read-only"
		default:
			if err := s.run(ctx, op); err != nil {
				op.Problem = problem(err)
				v.incomplete, stopped = true, true
			}
		}
		v.record(op)
	}
	switch {
	case v.booked == "":
	case v.authErr != nil:
		v.leftBooked = v.booked // a cancel would be refused the same way
	default:
		v.cleanUp(context.WithoutCancel(ctx))
	}
}

func (v *verifier) record(op *opResult) {
	v.ops = append(v.ops, op)
	if v.onOp != nil {
		v.onOp(op)
	}
}

// cleanUp cancels the appointment a stopped run left confirmed.
func (v *verifier) cleanUp(ctx context.Context) {
	op := &opResult{Name: "cancel (clean-up)", Findings: []finding{}}
	id := v.booked
	status, apiErr, err := v.call(ctx, op, http.MethodPost, "/connected/appointments/{appointment_id}/cancel",
		&connected.RawParams{Path: map[string]string{"appointment_id": id}}, nil, nil)
	if err == nil && apiErr == nil && status/100 == 2 {
		v.booked = ""
	} else {
		v.leftBooked = id
		op.Problem = fmt.Sprintf("could not cancel %s: cancel it with `dronline appointments cancel %s`", id, id)
	}
	v.record(op)
}

// problem describes why a step stopped the flow, from the SDK's error
// (code, status, request id: never a body) or the step's own.
func problem(err error) string {
	var apiErr *connected.Error
	if errors.As(err, &apiErr) {
		s := "HTTP " + fmt.Sprint(apiErr.StatusCode)
		if apiErr.StatusCode == 0 {
			s = "no answer"
			if apiErr.Message != "" {
				s += ": " + apiErr.Message
			}
		}
		if apiErr.Code != "" {
			s += " " + string(apiErr.Code)
		} else if apiErr.StatusCode != 0 && apiErr.Message != "" {
			s += ": " + apiErr.Message
		}
		if apiErr.RequestID != "" {
			s += " (request " + apiErr.RequestID + ")"
		}
		return s
	}
	return err.Error()
}

// wantOK turns an answer that is not a 2xx into the step's error.
func wantOK(status int, apiErr *connected.Error, err error) error {
	if err != nil {
		return err
	}
	if apiErr != nil {
		return apiErr
	}
	if status/100 != 2 {
		return fmt.Errorf("HTTP %d", status)
	}
	return nil
}

// wantError checks a provoked error answer against the documentation: its
// status and code. A different answer is a violation.
func wantError(op *opResult, status int, apiErr *connected.Error, err error, wantStatus int, wantCode connected.ErrorCode) error {
	if err != nil {
		return err
	}
	var code string
	if apiErr != nil {
		code = string(apiErr.Code)
	}
	if status != wantStatus || code != string(wantCode) {
		got := fmt.Sprintf("%d %s", status, code)
		op.Findings = append(op.Findings, finding{Kind: kindViolation, Where: "status", Count: 1,
			What: fmt.Sprintf("the contract documents %d %s here, the API answered %s", wantStatus, wantCode, got)})
	}
	return nil
}

// decode reads the fields a later step needs from a 2xx body.
func decode(raw json.RawMessage, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return errors.New("the response could not be read for the next step")
	}
	return nil
}

func query(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}
