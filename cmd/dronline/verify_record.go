package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync"
)

// maxRecordedBody bounds the memory one recorded response may take.
const maxRecordedBody = 16 << 20

// recorder is the transport of verify's client: it keeps each attempt's
// request and response bytes in memory, for the contract check only. The
// SDK's client above it does the retries (honouring Retry-After), the
// idempotency keys and the key's redaction, so every attempt of a retried
// call is recorded and checked, 429s and 5xx included.
//
// verify sends one request at a time; the mutex only keeps the race
// detector honest about net/http's goroutines.
type recorder struct {
	next http.RoundTripper

	mu         sync.Mutex
	template   string
	pathParams map[string]string
	exchanges  []*exchange
}

// expect names the operation the next attempts belong to.
func (r *recorder) expect(template string, pathParams map[string]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.template, r.pathParams = template, pathParams
}

// take returns the exchanges recorded since the last take.
func (r *recorder) take() []*exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.exchanges
	r.exchanges = nil
	return out
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	ex := &exchange{method: req.Method, template: r.template, pathParams: r.pathParams}
	r.mu.Unlock()
	if req.Body != nil && req.ContentLength > 0 {
		// The SDK's attempt body: read it and send the same bytes, still
		// without a GetBody, so net/http does not replay it by itself.
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		ex.reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	ex.request = req.Clone(req.Context())
	ex.request.Body = nil
	resp, err := r.next.RoundTrip(req)
	if err == nil {
		b, readErr := io.ReadAll(io.LimitReader(resp.Body, maxRecordedBody+1))
		_ = resp.Body.Close()
		if readErr != nil {
			return nil, readErr
		}
		if len(b) > maxRecordedBody {
			return nil, errors.New("the response body is larger than verify reads (16 MiB)")
		}
		ex.status, ex.header, ex.body = resp.StatusCode, resp.Header.Clone(), b
		resp.Body = io.NopCloser(bytes.NewReader(b))
	}
	r.mu.Lock()
	r.exchanges = append(r.exchanges, ex)
	r.mu.Unlock()
	return resp, err
}
