package sandbox

import (
	"net/http"
	"strconv"
	"time"

	"github.com/dronline/connected-go/connected/connectedtest"
)

// Fault kinds, as the control API names them.
const (
	kindStatus       = "status"
	kindDrop         = "drop"
	kindLostResponse = "lost_response"
	kindDelay        = "delay"
)

// maxFaultDelay bounds a delay fault: longer than any client timeout a
// test would use, short enough that a typo does not wedge a connection.
const maxFaultDelay = 10 * time.Minute

type faultJSON struct {
	ID                string  `json:"id"`
	Object            string  `json:"object"`
	Method            *string `json:"method"`
	Path              *string `json:"path"`
	Kind              string  `json:"kind"`
	Status            *int    `json:"status"`
	RetryAfterSeconds *int    `json:"retry_after_seconds"`
	DelayMS           int64   `json:"delay_ms"`
	Count             int     `json:"count"`
	Probability       float64 `json:"probability"`
}

// faultKind names what f does, in the control API's words. The sandbox
// makes faults only from the control API's input, so these are the kinds
// that input takes.
func faultKind(f *connectedtest.Fault) string {
	switch {
	case f.AfterHandler && f.Drop:
		return kindLostResponse
	case f.Drop:
		return kindDrop
	case f.Status != 0:
		return kindStatus
	}
	return kindDelay
}

func renderFault(f *connectedtest.Fault, id string) faultJSON {
	out := faultJSON{
		ID: id, Object: "sandbox_fault", Method: orNull(f.Method), Path: orNull(f.Path), Kind: faultKind(f),
		DelayMS: f.Delay.Milliseconds(), Count: f.Times, Probability: 1,
	}
	if f.Status != 0 {
		st := f.Status
		out.Status = &st
	}
	if n, err := strconv.Atoi(f.RetryAfter); err == nil {
		out.RetryAfterSeconds = &n
	}
	if f.Probability > 0 && f.Probability < 1 {
		out.Probability = f.Probability
	}
	return out
}

type faultInput struct {
	Method            string   `json:"method"`
	Path              string   `json:"path"`
	Kind              string   `json:"kind"`
	Status            *int     `json:"status"`
	RetryAfterSeconds *int     `json:"retry_after_seconds"`
	DelayMS           *int64   `json:"delay_ms"`
	Count             *int     `json:"count"`
	Probability       *float64 `json:"probability"`
}

// fault checks in and builds the Fault it describes.
func (in faultInput) fault() (connectedtest.Fault, *apiError) {
	var f connectedtest.Fault
	if in.Method != "" {
		// As the document's enum says: upper case, as HTTP spells them.
		m := in.Method
		switch m {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		default:
			return f, errParamInvalid("method", "one of GET, POST, PUT, PATCH, DELETE, or left out for any")
		}
		f.Method = m
	}
	if in.Path != "" {
		if templateOf(in.Path) == "" {
			return f, errParamInvalid("path", "a path of the API relative to /v1, such as /connected/appointments/{appointment_id}/confirm")
		}
		f.Path = in.Path
	}
	switch in.Kind {
	case kindStatus:
		if in.Status == nil {
			return f, errParamMissing("status")
		}
		if *in.Status < 400 || *in.Status > 599 {
			return f, errParamInvalid("status", "an HTTP status from 400 to 599")
		}
		f.Status = *in.Status
	case kindDrop:
		f.Drop = true
	case kindLostResponse:
		f.AfterHandler, f.Drop = true, true
	case kindDelay:
		if in.DelayMS == nil {
			return f, errParamMissing("delay_ms")
		}
	case "":
		return f, errParamMissing("kind")
	default:
		return f, errParamInvalid("kind", "one of status, drop, lost_response, delay")
	}
	if in.Status != nil && in.Kind != kindStatus {
		return f, errParamInvalid("status", "only for kind status")
	}
	if in.RetryAfterSeconds != nil {
		if in.Kind != kindStatus || *in.RetryAfterSeconds < 0 {
			return f, errParamInvalid("retry_after_seconds", "a number of seconds of at least 0, for kind status")
		}
		f.RetryAfter = strconv.Itoa(*in.RetryAfterSeconds)
	}
	if in.DelayMS != nil {
		if *in.DelayMS < 0 || time.Duration(*in.DelayMS)*time.Millisecond > maxFaultDelay {
			return f, errParamInvalid("delay_ms", "milliseconds from 0 to 600000")
		}
		f.Delay = time.Duration(*in.DelayMS) * time.Millisecond
	}
	f.Times = 1
	if in.Count != nil {
		if *in.Count < 1 || *in.Count > 1_000_000 {
			return f, errParamInvalid("count", "from 1 to 1000000")
		}
		f.Times = *in.Count
	}
	if in.Probability != nil {
		p := *in.Probability
		if !(p > 0 && p <= 1) {
			return f, errParamInvalid("probability", "more than 0 and at most 1")
		}
		if p < 1 {
			f.Probability = p
		}
	}
	return f, nil
}

func (c *controller) createFault(w http.ResponseWriter, r *http.Request) {
	var in faultInput
	if e := decodeBody(r, &in); e != nil {
		e.write(w)
		return
	}
	f, e := in.fault()
	if e != nil {
		e.write(w)
		return
	}
	id := c.srv.InjectFault(f)
	writeJSON(w, http.StatusCreated, renderFault(&f, id))
}

func (c *controller) listFaults(w http.ResponseWriter, r *http.Request) {
	fs := c.srv.Faults()
	out := make([]faultJSON, len(fs))
	for i := range fs {
		out[i] = renderFault(&fs[i], fs[i].ID())
	}
	writeJSON(w, http.StatusOK, newList(r.URL.Path, out))
}

func (c *controller) deleteFaults(w http.ResponseWriter, _ *http.Request) {
	c.srv.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

func (c *controller) deleteFault(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("fault_id")
	if !c.srv.RemoveFault(id) {
		errNotFound("fault_id", "fault", id).write(w)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
