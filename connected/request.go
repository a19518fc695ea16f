package connected

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/contract"
)

// operation is one API call as the engine sees it: the contract's
// operationId, method and path template (the logs name the last two), and
// a builder that makes the request with gen's request builder, so paths,
// parameters and headers follow the contract. operations.gen.go has a
// constructor for each operation of the contract; a raw call (Client.Do)
// has no operationId.
type operation struct {
	operationID string // e.g. getAppointment
	method      string
	path        string // template, e.g. /connected/appointments/{appointment_id}
	// build makes the request against server (the base URL ending in "/")
	// with the call's idempotency key; buildGet, set instead for a GET, has
	// no key to take. Two fields rather than one GET closure wrapping
	// another: one allocation fewer on every read.
	build    func(server, idempotencyKey string) (*http.Request, error)
	buildGet func(server string) (*http.Request, error)
}

// request builds the operation's request.
func (op operation) request(server, idempotencyKey string) (*http.Request, error) {
	if op.buildGet != nil {
		return op.buildGet(server)
	}
	return op.build(server, idempotencyKey)
}

// outcome is what the engine learnt over all attempts of one call.
type outcome struct {
	info ResponseInfo
	// reached is true once an attempt may have been processed by the
	// server: its request was written and no answer came back, or the
	// server answered with a 5xx, or its answer was cut short.
	reached bool
}

// call runs op with the client's configuration overridden by opts, retries
// it as the policy allows, and decodes a 2xx body into out.
func (c *Client) call(ctx context.Context, op operation, opts []CallOption, out any) (outcome, error) {
	cfg, err := c.cfg.forCall(opts)
	if err != nil {
		return outcome{}, c.refuse(ctx, op, opts, err)
	}
	var res outcome
	if op.method != http.MethodGet {
		res.info.IdempotencyKey = cfg.idempotencyKey
		if res.info.IdempotencyKey == "" {
			res.info.IdempotencyKey = NewIdempotencyKey()
		}
	}
	if cfg.watched().calls {
		err = c.runObserved(ctx, &cfg, op, out, &res)
	} else {
		err = c.run(ctx, &cfg, op, out, &res)
	}
	if cfg.responseInfo != nil {
		*cfg.responseInfo = res.info
	}
	return res, err
}

// runObserved is run between the hooks' CallStart and CallEnd.
func (c *Client) runObserved(ctx context.Context, cfg *requestConfig, op operation, out any, res *outcome) error {
	call := CallInfo{Operation: op.public(), IdempotencyKey: res.info.IdempotencyKey}
	start := time.Now()
	ctx = cfg.callStart(ctx, call)
	err := c.run(ctx, cfg, op, out, res)
	call.Attempts, call.Replayed, call.Duration = res.info.Attempts, res.info.Replayed, time.Since(start)
	if err != nil {
		call.Err = err
		var e *Error
		call.Ambiguous = errors.As(err, &e) && e.Ambiguous
	}
	cfg.callEnd(ctx, call)
	return err
}

// public is the operation as hooks see it.
func (op operation) public() Operation {
	return Operation{ID: op.operationID, Method: op.method, Path: op.path}
}

// run is the attempt loop. The request, and so its body, is built once;
// each attempt sends a shallow copy with its own context, and each retry a
// fresh reader over the same bytes.
func (c *Client) run(ctx context.Context, cfg *requestConfig, op operation, out any, res *outcome) error {
	req, err := op.request(cfg.baseURL, res.info.IdempotencyKey)
	if err != nil {
		return &Error{Type: ErrorTypeInvalidRequest, Message: "building the request failed", Err: err}
	}
	if err := c.setHeaders(req, cfg); err != nil {
		return err
	}
	// A POST without a key (possible only through a raw request) is not
	// safe to repeat: the server cannot tell a retry from a new request.
	retryable := op.method == http.MethodGet || req.Header.Get(contract.IdempotencyKeyHeader) != ""
	tctx, sent := ctx, (*sendTrace)(nil)
	if op.method != http.MethodGet {
		tctx, sent = withSendTrace(ctx)
	}

	w := cfg.watched()
	for attempt := 1; ; attempt++ {
		res.info.Attempts = attempt
		var seen attemptSeen
		if w.attempts {
			seen = attemptSeen{start: time.Now(), ctx: tctx, starts: w.attemptStarts, info: AttemptInfo{Operation: op.public(), Attempt: attempt, IdempotencyKey: res.info.IdempotencyKey}}
		}
		apiErr, header := c.attempt(tctx, cfg, req, out, res, sent, &seen)
		if apiErr == nil {
			if w.attempts {
				seen.end(cfg, res, sent, nil, false, 0)
			}
			return nil
		}
		// The policy would send it again; a done context says nobody is
		// waiting for the answer any more. Both are read after the attempt
		// has ended, so a cancel that lands while its response is being
		// read is seen here, not lost.
		again := retryable && attempt <= cfg.maxRetries && apiErr.Retryable()
		retry := again && ctx.Err() == nil
		var wait time.Duration
		if retry {
			wait = cfg.backoff(attempt)
			if d, ok := cfg.retryAfter(header); ok {
				wait = d
			}
		}
		if w.attempts {
			seen.end(cfg, res, sent, apiErr, retry, wait)
		}
		if !retry {
			return c.finish(ctx, op, apiErr, res)
		}
		// A wait may end without error at the moment the context is done
		// (its timer and the cancel at once): check again, so that no
		// attempt is sent for a caller who has gone.
		if err := cfg.wait(ctx, wait); err != nil || ctx.Err() != nil {
			return c.finish(ctx, op, apiErr, res)
		}
	}
}

// attemptSeen is what the hooks are told of one attempt.
type attemptSeen struct {
	start  time.Time
	ctx    context.Context // the attempt's, as AttemptStart left it
	starts bool            // an AttemptStart hook is given the request
	info   AttemptInfo
}

// end tells the hooks how the attempt ended. The request is not given
// again: AttemptStart alone may change it.
func (s *attemptSeen) end(cfg *requestConfig, res *outcome, sent *sendTrace, err *Error, retry bool, wait time.Duration) {
	a := s.info
	a.Request = nil
	a.StatusCode, a.RequestID, a.Replayed = res.info.StatusCode, res.info.RequestID, res.info.Replayed
	a.Written = a.StatusCode != 0
	if sent != nil {
		a.Written = sent.written()
	}
	a.Err, a.Retry, a.RetryWait, a.Duration = err, retry, wait, time.Since(s.start)
	cfg.attemptEnd(s.ctx, a)
}

// finish completes the final error with what only the whole call knows.
// If the context is done, the error carries the context's error (and its
// cause), so errors.Is(err, context.Canceled) or DeadlineExceeded holds
// whenever the call stopped because of it, wherever the cancel landed;
// the rest of the error still describes the last attempt.
func (c *Client) finish(ctx context.Context, op operation, e *Error, res *outcome) *Error {
	e.Attempts = res.info.Attempts
	e.IdempotencyKey = res.info.IdempotencyKey
	e.Ambiguous = op.method != http.MethodGet && res.reached && !definitive(e)
	if ctx.Err() != nil {
		e.Err = withContextError(ctx, e.Err)
	}
	return e
}

// withContextError joins the context's error and its cause (when it has
// one of its own) to err, unless err already carries them.
func withContextError(ctx context.Context, err error) error {
	var add []error
	for _, e := range []error{ctx.Err(), context.Cause(ctx)} {
		if e != nil && !errors.Is(err, e) && !slices.Contains(add, e) {
			add = append(add, e)
		}
	}
	if len(add) == 0 {
		return err
	}
	return errors.Join(append(add, err)...)
}

// definitive reports whether an error is the server's considered answer to
// the request, as opposed to "I could not tell you" (network failure,
// timeout, 5xx, rate limiting, a request still in progress).
func definitive(e *Error) bool {
	if e.Type == ErrorTypeConnection || e.StatusCode == 0 {
		return false
	}
	return !retryableStatus(e.StatusCode, e.Code)
}

// attempt sends one attempt and decodes its response into out. It returns
// nil on success, or the attempt's error and the response headers (for
// Retry-After).
func (c *Client) attempt(ctx context.Context, cfg *requestConfig, req *http.Request, out any, res *outcome, sent *sendTrace, seen *attemptSeen) (*Error, http.Header) {
	actx, cancel := ctx, context.CancelFunc(func() {})
	switch {
	case cfg.attemptContext != nil:
		actx, cancel = cfg.attemptContext(ctx, res.info.Attempts)
	case cfg.attemptTimeout > 0 && !deadlineWithin(ctx, cfg.attemptTimeout):
		actx, cancel = context.WithTimeout(ctx, cfg.attemptTimeout)
	}
	defer cancel()
	// A shallow copy, not Clone: the headers are set once before the first
	// attempt and neither the client nor the transport writes to them, so
	// a deep copy of the header map and URL per attempt bought nothing and
	// was the SDK's largest own allocation on a GET.
	r := req.WithContext(actx)
	// The first attempt sends the reader the request was built with; each
	// retry, a fresh one over the same bytes.
	if req.GetBody != nil && res.info.Attempts > 1 {
		body, err := req.GetBody()
		if err != nil {
			return &Error{Type: ErrorTypeInvalidRequest, Message: "replaying the request body failed", Err: err}, nil
		}
		r.Body = body
	}
	unreplayable(r)

	if seen.starts {
		// Hooks may add headers: to a copy, so that no attempt sees
		// another's.
		r.Header = req.Header.Clone()
		seen.info.Request = r
		if hctx := cfg.attemptStart(actx, seen.info); hctx != actx {
			r = r.WithContext(hctx)
		}
		keepOwnHeaders(r.Header, req.Header)
		seen.info.Request, seen.ctx = r, r.Context()
	}
	sent.begin()
	resp, err := cfg.httpClient.Do(r)
	res.info.StatusCode, res.info.RequestID, res.info.Replayed = 0, "", false
	if err != nil {
		if !sent.written() {
			return connectionError(ctx, "request not sent", err), nil
		}
		res.reached = true
		return connectionError(ctx, "request failed", err), nil
	}
	defer func() { _ = resp.Body.Close() }()
	res.info.StatusCode = resp.StatusCode
	res.info.RequestID = resp.Header.Get("X-Request-Id")
	res.info.Replayed = resp.Header.Get("Idempotent-Replayed") == "true"
	if resp.StatusCode >= 500 {
		res.reached = true
	}

	body, err := readBody(resp, cfg.maxResponseBytes)
	if err != nil {
		res.reached = true
		e := connectionError(ctx, "reading the response failed", err)
		if errors.Is(err, errBodyTooLarge) {
			e = &Error{Type: ErrorTypeAPI, Message: fmt.Sprintf("response body exceeds the limit of %d bytes", cfg.maxResponseBytes), Err: err}
		}
		e.StatusCode, e.RequestID = resp.StatusCode, res.info.RequestID
		return e, resp.Header
	}
	if isRedirect(resp.StatusCode) {
		return redirectError(resp), resp.Header
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return decodeError(resp, body), resp.Header
	}
	if err := decodeJSON(resp, body, out); err != nil {
		return &Error{Type: ErrorTypeAPI, StatusCode: resp.StatusCode, RequestID: res.info.RequestID,
			Message: "the response was not the expected JSON", Err: err}, resp.Header
	}
	if cfg.responseBody != nil {
		// body is this response's own buffer, never reused: no copy.
		*cfg.responseBody = body
	}
	return nil, resp.Header
}

// deadlineWithin reports whether ctx has a deadline of its own no later
// than d from now. The attempt cannot outlive it, so a timeout of d would
// only add a timer and a context: a caller that sets deadlines pays for
// neither, and its attempt ends the same way, at its deadline, with
// context.DeadlineExceeded and no retry.
func deadlineWithin(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && !deadline.After(time.Now().Add(d))
}

// setHeaders adds the WithHeader values and the headers the SDK sets on
// every request. A WithHeader value for a header the operation's request
// already carries is refused, not sent in its place: WithHeader refuses
// the headers the SDK owns, and this covers an operation's own (one the
// contract added later included).
func (c *Client) setHeaders(req *http.Request, cfg *requestConfig) error {
	for name, values := range cfg.headers {
		if _, set := req.Header[name]; set {
			return headerError(name, ownerOperation.reason())
		}
		req.Header[name] = append([]string(nil), values...)
	}
	// One backing array for the three values instead of one per Header.Set.
	hv := newHeaderValues(req.Header, 3)
	hv.set("Authorization", c.key.authorizationHeader())
	hv.set("User-Agent", c.userAgent)
	hv.set("Accept", "application/json")
	return nil
}

// connectionError describes a call that got no usable response. The url.Error
// wrapper is dropped: its text repeats the URL, query values included.
func connectionError(ctx context.Context, what string, err error) *Error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	if ctx.Err() != nil {
		err = errors.Join(ctx.Err(), err)
	}
	return &Error{Type: ErrorTypeConnection, Message: what + ": " + describeNetworkError(err), Err: err}
}

func describeNetworkError(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "context cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "connection closed before the response was complete"
	case isPermanentNetworkError(err):
		return "TLS certificate not trusted"
	case isDialError(err):
		return "could not connect"
	}
	return "network error"
}

var errBodyTooLarge = errors.New("response body too large")

// readBody reads the whole body, up to limit bytes; reading to EOF lets the
// connection be reused. When the server declares the length, the buffer is
// made once at that size (and a declared length over the limit is refused
// before reading), instead of growing as it fills.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if n := resp.ContentLength; n > limit {
		return nil, errBodyTooLarge
	} else if n >= 0 {
		body := make([]byte, n)
		// net/http stops the body at the declared length and marks it
		// read to the end, so the connection still goes back to the pool.
		if _, err := io.ReadFull(resp.Body, body); err != nil {
			return nil, err
		}
		return body, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, errBodyTooLarge
	}
	return body, nil
}

// isJSON reports whether the response's media type is application/json or
// a +json type. It reads the type by hand: mime.ParseMediaType builds a map
// of parameters, an allocation on every call for values nobody reads.
func isJSON(resp *http.Response) bool {
	mt, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// decodeJSON decodes a 2xx body into out. A caller that wants no body (a
// raw call with out nil, say of an operation that answers 204 No Content)
// needs neither a body nor a content type; one that wants an object gets an
// error rather than a zero value when none came.
func decodeJSON(resp *http.Response, body []byte, out any) error {
	if out == nil {
		return nil
	}
	if !isJSON(resp) {
		return fmt.Errorf("content type %q is not JSON", resp.Header.Get("Content-Type"))
	}
	return json.Unmarshal(body, out)
}

// decodeError turns a non-2xx response into an *Error. A body that is not
// the error envelope (an HTML page from a proxy, say) still gives a typed
// error with the status; its content is never copied into the message.
func decodeError(resp *http.Response, body []byte) *Error {
	e := &Error{StatusCode: resp.StatusCode, RequestID: resp.Header.Get("X-Request-Id")}
	var env gen.Error
	if isJSON(resp) && json.Unmarshal(bytes.TrimSpace(body), &env) == nil && (env.Error.Code != "" || env.Error.Type != "") {
		e.Type, e.Code, e.Message = ErrorType(env.Error.Type), ErrorCode(env.Error.Code), env.Error.Message
		if env.Error.Param != nil {
			e.Param = *env.Error.Param
		}
		if e.Type == "" {
			e.Type = typeForStatus(resp.StatusCode)
		}
		return e
	}
	e.Type = typeForStatus(resp.StatusCode)
	e.Message = fmt.Sprintf("HTTP %d with a body that is not the API's error envelope (%s)", resp.StatusCode, contentTypeOrNone(resp))
	return e
}

func contentTypeOrNone(resp *http.Response) string {
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err == nil {
			return mt
		}
		return "unreadable content type"
	}
	return "no content type"
}

func typeForStatus(status int) ErrorType {
	switch {
	case status == http.StatusUnauthorized:
		return ErrorTypeAuthentication
	case status == http.StatusTooManyRequests:
		return ErrorTypeRateLimit
	case status >= 500:
		return ErrorTypeAPI
	}
	return ErrorTypeInvalidRequest
}
