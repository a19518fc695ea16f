package connectedtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dronline/connected-go/gen"
)

// basePath is the path prefix of the API, as in https://api.dronline.uk/v1.
const basePath = "/v1"

// defaultHoldTTL is how long a hold locks its slot unless WithHoldTTL says otherwise.
const defaultHoldTTL = 10 * time.Minute

// maxBody bounds request bodies; the API's largest body is far smaller.
const maxBody = 1 << 20

// Server is a fake Dr.Online Connected API on a real loopback HTTP server.
// It keeps state per credential in memory and enforces the documented
// rules. All methods are safe for concurrent use.
type Server struct {
	cfg       config
	clock     *clock
	holdTTL   time.Duration
	listener  net.Listener
	srv       *http.Server
	handler   http.Handler
	validator *specValidator
	url       string
	apiKey    string

	mu         sync.Mutex // guards all state below and every credential's state
	creds      map[string]*credential
	credSeq    int
	faults     []*Fault
	requests   []RecordedRequest
	violations []string
	// hook, when set (by this package's tests only), runs just inside the
	// idempotency layer and may answer the request itself: it lets tests
	// hold a request mid-flight or fail it with a 5xx.
	hook func(http.ResponseWriter, *http.Request) bool

	dials     atomic.Int64
	changes   atomic.Uint64 // see Changes
	closeOnce sync.Once
	done      chan struct{}  // closed by Close: releases hanging faults
	inflight  sync.WaitGroup // handlers still running, awaited by Close
	// life orders a handler's start against Close: a WaitGroup must not
	// grow from zero while Wait runs, so a handler joins inflight only
	// under life and while done is open, and Close closes done under life
	// before it waits.
	life sync.Mutex
	// bodies recycles the buffers responses are held in (see serveHTTP):
	// a page of 100 appointments is some 70 KB, and growing a fresh buffer
	// to that size on every request was a good part of a list's cost.
	bodies sync.Pool
	// unstarted are the connections with no request yet, which Shutdown
	// closes instead of waiting for them (unstarted.go).
	unstarted unstartedConns
}

// NewServer starts a fake on 127.0.0.1:0 (or the WithListener/WithAddr
// listener) and serves at once. Call Close when done. It panics if it
// cannot listen or an option is invalid, like httptest.NewServer.
func NewServer(opts ...Option) *Server {
	var cfg config
	for _, o := range opts {
		if o.apply != nil { // the zero Option changes nothing
			o.apply(&cfg)
		}
	}
	s := &Server{
		cfg:     cfg,
		clock:   newClock(&cfg),
		holdTTL: cfg.holdTTL,
		creds:   map[string]*credential{},
		done:    make(chan struct{}),
	}
	if s.holdTTL <= 0 {
		s.holdTTL = defaultHoldTTL
	}
	switch {
	case cfg.snapshot != nil && cfg.catalogue != nil:
		panic("connectedtest: WithSnapshot and WithCatalogue both given: the snapshot holds the default credential's catalogue")
	case cfg.snapshot != nil:
		s.restore(cfg.snapshot)
	default:
		var copts []CredentialOption
		if cfg.catalogue != nil {
			copts = append(copts, WithCredentialCatalogue(*cfg.catalogue))
		}
		s.apiKey = s.AddCredential(copts...)
	}
	if cfg.specValidation {
		v, err := newSpecValidator()
		if err != nil {
			panic(err)
		}
		s.validator = v
	}
	s.handler = s.buildHandler()
	top := s.handler
	if cfg.front != nil {
		top = cfg.front(s)
	}

	l := cfg.listener
	if l == nil {
		addr := cfg.addr
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		var err error
		if l, err = (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr); err != nil {
			panic(fmt.Sprintf("connectedtest: failed to listen on %s: %v", addr, err))
		}
	}
	s.listener = l
	s.url = "http://" + l.Addr().String() + basePath
	s.srv = &http.Server{
		Handler:           top,
		ReadHeaderTimeout: 10 * time.Second,
		ConnState: func(c net.Conn, st http.ConnState) {
			s.unstarted.track(c, st)
			if st == http.StateNew {
				s.dials.Add(1)
			}
		},
		// Cancel request contexts when the server shuts down, so Delay and
		// Hang faults end promptly.
		BaseContext: func(net.Listener) context.Context { return s.baseContext() },
	}
	s.srv.RegisterOnShutdown(s.unstarted.closeAll)
	go func() { _ = s.srv.Serve(l) }()
	return s
}

// baseContext is cancelled when Close is called.
func (s *Server) baseContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-s.done
		cancel()
	}()
	return ctx
}

// URL is the base URL including /v1, e.g. http://127.0.0.1:41234/v1: pass
// it to connected.WithBaseURL.
func (s *Server) URL() string { return s.url }

// APIKey is the sk_sandbox_… key of the default credential: pass it to
// connected.NewClient.
func (s *Server) APIKey() string { return s.apiKey }

// Handler is the whole fake as an http.Handler (routes under /v1), for
// serving it on another listener.
func (s *Server) Handler() http.Handler { return s.handler }

// Now is the fake clock's current time, UTC.
func (s *Server) Now() time.Time { return s.clock.now() }

// Advance moves the fake clock forward: holds expire, idempotency keys
// lapse and the reschedule windows are crossed without sleeping.
func (s *Server) Advance(d time.Duration) {
	s.clock.advance(d)
	s.changes.Add(1)
}

// ClockOffset is how far Advance has moved the clock, in all (a
// snapshot's ClockOffset included with WithSnapshot).
func (s *Server) ClockOffset() time.Duration {
	_, offset := s.clock.read()
	return offset
}

// Changes counts the changes to the server's state since it started:
// every API request other than a GET or a HEAD, and every Advance, Reset
// and new credential. A Snapshot taken when Changes read n is current for
// as long as Changes still reads n.
func (s *Server) Changes() uint64 { return s.changes.Load() }

// Dials is the number of TCP connections accepted so far.
func (s *Server) Dials() int { return int(s.dials.Load()) }

// Shutdown stops the server gracefully: it stops accepting connections,
// waits until the requests in flight are answered or ctx is done, and then
// closes like Close. It is for a fake run as a long-lived service; tests
// use Close.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	s.Close()
	return err
}

// Close stops the server, closes its connections, releases hanging faults
// and waits for running handlers.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.life.Lock()
		close(s.done)
		s.life.Unlock()
		_ = s.srv.Close()
		s.inflight.Wait()
	})
}

// closed reports whether Close has begun.
func (s *Server) closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// SpecViolations lists the contract violations found with
// WithSpecValidation(true); empty when none happened (or validation is off).
func (s *Server) SpecViolations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// buildHandler assembles the chain, outermost first: request id, recording,
// logging and canonical JSON (serveHTTP) → faults → auth → idempotency →
// the generated router and strict handler.
func (s *Server) buildHandler() http.Handler {
	strict := gen.NewStrictHandlerWithOptions(&handlers{s: s}, nil, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  bodyErrorHandler,
		ResponseErrorHandlerFunc: paramErrorHandler,
	})
	mux := http.NewServeMux()
	// Anything the contract does not route answers the JSON 404, not the
	// mux's text/plain page.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		errNotFound("", "route", r.Method+" "+r.URL.Path).write(w)
	})
	api := gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{
		BaseURL:          basePath,
		BaseRouter:       mux,
		ErrorHandlerFunc: paramErrorHandler,
	})
	inner := s.authenticate(s.idempotency(s.withHook(cleanPathsOnly(api))))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serveHTTP(w, r, inner) })
}

// cleanPathsOnly answers the JSON 404 for a path not in canonical form
// ("/.", "//x", "/v1/./connected/account"): ServeMux would otherwise
// redirect it to the cleaned path with a bare 307, a response the contract
// does not know and a client should not be taught to follow.
func cleanPathsOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p == "" || path.Clean(p) != p {
			errNotFound("", "route", r.Method+" "+p).write(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) withHook(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		hook := s.hook
		s.mu.Unlock()
		if hook != nil && hook(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request, inner http.Handler) {
	s.life.Lock()
	if s.closed() {
		s.life.Unlock()
		// Closing: the connection is about to go, nobody reads an answer.
		errInternal().write(w)
		return
	}
	s.inflight.Add(1)
	s.life.Unlock()
	defer s.inflight.Done()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// Counted once the request is done with the state, so that a save
		// which read Changes before the change is made again.
		defer s.changes.Add(1)
	}

	reqID := newID("req_")
	o := outcome{start: time.Now(), arrived: s.now()}
	// MaxBytesReader, unlike a LimitReader, says when the body was too
	// long, and makes the server close the connection after answering, so
	// the client reads a 413 instead of a reset or a truncated body.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	_ = r.Body.Close()
	if err == nil {
		// A body refused as too large (413) or unreadable is not passed on:
		// nothing of it is kept anywhere.
		o.reqBody = body
	}
	ctx := context.WithValue(r.Context(), ctxRequestID, reqID)
	ctx = context.WithValue(ctx, ctxBody, body)
	r = r.WithContext(ctx)
	r.Body = io.NopCloser(bytes.NewReader(body))

	rec := &bufferedWriter{header: http.Header{}, underlying: w}
	if buf, ok := s.bodies.Get().(*bytes.Buffer); ok {
		rec.body = buf
	} else {
		rec.body = new(bytes.Buffer)
	}
	// Once the response is written nothing holds the buffer: idempotency,
	// faults and the record store copies of what they keep. A buffer
	// grown past a megabyte is let go rather than kept alive.
	defer func() {
		if rec.body.Cap() <= 1<<20 {
			rec.body.Reset()
			s.bodies.Put(rec.body)
		}
	}()
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		errBodyTooLarge().write(rec)
		rec.offContract = true
	case err != nil:
		errParamInvalid("", "unreadable body").write(rec)
	default:
		s.applyFaults(rec, r, inner)
	}
	o.fault = rec.applied

	// Each path records the request before the client can see its end, so
	// a test that reacts to a response (or a reset) finds it in Requests().
	switch {
	case rec.abandoned:
		s.record(r, reqID, o)
	case rec.drop:
		if _, ok := w.(http.Hijacker); !ok {
			// HTTP/2 or a wrapping writer: a reset is impossible, so say so.
			errInternal().write(rec)
			s.finish(w, r, rec, reqID, o)
			break
		}
		s.record(r, reqID, o)
		_ = rec.hijack()
	default:
		s.finish(w, r, rec, reqID, o)
	}
}

// finish writes the buffered response with a fresh X-Request-Id, after the
// optional contract validation.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, rec *bufferedWriter, reqID string, o outcome) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	// The generated types declare their fields in the API's order (id,
	// object, then A–Z: api/go-overlay.yaml), so encoding/json already
	// wrote the body in that order; no reordering pass is needed. The
	// encoder's trailing newline goes.
	body := rec.body.Bytes()
	if isJSON(rec.header.Get("Content-Type")) {
		body = bytes.TrimSuffix(body, []byte("\n"))
	}
	// Every response, including errors, faults and replays, gets its own id.
	rec.header.Set("X-Request-Id", reqID)
	if s.validator != nil && !rec.fault && !rec.offContract {
		if msg := s.validator.check(r, rec.status, rec.header, body); msg != "" {
			s.mu.Lock()
			s.violations = append(s.violations, msg)
			s.mu.Unlock()
			rec.header = http.Header{"X-Request-Id": {reqID}}
			rec.body.Reset()
			errInternal().write(rec)
			rec.status = http.StatusInternalServerError
			body = rec.body.Bytes()
		}
	}
	h := w.Header()
	for k, v := range rec.header {
		h[k] = v
	}
	h.Del("Content-Length")
	if len(body) > 0 || rec.status != http.StatusNoContent {
		h.Set("Content-Length", fmt.Sprint(len(body)))
	}
	o.status, o.respBody, o.respHeader = rec.status, body, h
	o.replayed = rec.header.Get("Idempotent-Replayed") == "true"
	s.record(r, reqID, o)
	w.WriteHeader(rec.status)
	_, _ = w.Write(body)
}

func isJSON(ct string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/json")
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxRequestID).(string)
	return id
}

// bufferedWriter holds a response until the chain is done with it, so that
// idempotency can store it, faults can replace it and finish can reorder
// its JSON.
type bufferedWriter struct {
	header     http.Header
	status     int
	body       *bytes.Buffer
	underlying http.ResponseWriter // for Hijack only
	hijacked   bool
	drop       bool   // a Drop fault: close the connection without a response
	abandoned  bool   // a Delay or Hang fault ended because the client or server went away
	fault      bool   // an injected fault wrote this response
	applied    *Fault // the fault that hit the request, for the record
	// offContract marks an answer the contract does not describe (the
	// 413 for a body over the limit), which validation must not replace.
	offContract bool
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// hijack closes the client connection without a response (a reset).
func (b *bufferedWriter) hijack() error {
	hj, ok := b.underlying.(http.Hijacker)
	if !ok {
		return errors.New("connectedtest: connection cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return err
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST rather than FIN: a real connection reset
	}
	b.hijacked = true
	return conn.Close()
}

// logRequest writes the one log line of a request. Only the method, the
// path (ids, never patient data), status and request id: no query, header
// or body.
func (s *Server) logRequest(r *http.Request, reqID string, status int) {
	if s.cfg.logger == nil {
		return
	}
	s.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "connectedtest request",
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.String("request_id", reqID))
}
