package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// sandbox calls the sandbox control API of a mock (its document is
// internal/sandbox/control/openapi.json). Its methods return
// errors rather than fail the test, so worker goroutines may call them.
type sandbox struct {
	origin string // the mock's base URL without /v1
	hc     *http.Client
}

// sandboxFault is a fault as the control API takes and lists it.
type sandboxFault struct {
	ID                string  `json:"id,omitempty"`
	Method            string  `json:"method,omitempty"`
	Path              string  `json:"path,omitempty"`
	Kind              string  `json:"kind"`
	Status            int     `json:"status,omitempty"`
	RetryAfterSeconds *int    `json:"retry_after_seconds,omitempty"`
	DelayMS           int64   `json:"delay_ms,omitempty"`
	Count             int     `json:"count"`
	Probability       float64 `json:"probability"`
}

// do sends method path with in as its JSON body (none when nil), and
// decodes a 2xx answer into out (when not nil). An error names the status
// and the error envelope's code, never a body.
func (s sandbox) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.origin+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error struct {
				Code  string `json:"code"`
				Param string `json:"param"`
			} `json:"error"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return fmt.Errorf("%s %s: %d %s (param %q)", method, path, resp.StatusCode, e.Error.Code, e.Error.Param)
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (s sandbox) addFault(ctx context.Context, f sandboxFault) (sandboxFault, error) {
	var got sandboxFault
	err := s.do(ctx, http.MethodPost, "/_sandbox/faults", f, &got)
	return got, err
}

func (s sandbox) faults(ctx context.Context) ([]sandboxFault, error) {
	var l struct {
		Data []sandboxFault `json:"data"`
	}
	err := s.do(ctx, http.MethodGet, "/_sandbox/faults", nil, &l)
	return l.Data, err
}

type sandboxClock struct {
	Now time.Time `json:"now"`
}

func (s sandbox) now(ctx context.Context) (time.Time, error) {
	var c sandboxClock
	err := s.do(ctx, http.MethodGet, "/_sandbox/clock", nil, &c)
	return c.Now, err
}

// advance moves the sandbox clock forward by d and returns its new time.
func (s sandbox) advance(ctx context.Context, d time.Duration) (time.Time, error) {
	var c sandboxClock
	err := s.do(ctx, http.MethodPost, "/_sandbox/clock/advance", map[string]float64{"seconds": d.Seconds()}, &c)
	return c.Now, err
}

// journal asks for up to limit journal entries (newest first) and returns
// how many came and whether the list says there are more. The entries,
// which hold bodies, are counted and never kept.
func (s sandbox) journal(ctx context.Context, limit int) (n int, hasMore bool, err error) {
	var l struct {
		Data    []json.RawMessage `json:"data"`
		HasMore bool              `json:"has_more"`
	}
	err = s.do(ctx, http.MethodGet, "/_sandbox/requests?limit="+strconv.Itoa(limit), nil, &l)
	return len(l.Data), l.HasMore, err
}
