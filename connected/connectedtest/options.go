package connectedtest

import (
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Option configures a Server: pass the With… functions' results to
// NewServer.
type Option struct{ apply func(*config) }

type config struct {
	clock          func() time.Time
	start          time.Time
	holdTTL        time.Duration
	catalogue      *Catalogue
	snapshot       *Snapshot
	specValidation bool
	noRecording    bool
	logger         *slog.Logger
	listener       net.Listener
	addr           string
	exchangeHook   func(Exchange)
	front          func(*Server) http.Handler
	chance         func() float64 // this package's tests only: Fault.Probability's draws
}

// WithClock makes the server read the time from clock instead of its own
// frozen clock. Advance still works: it adds to what clock returns. Pass
// time.Now to serve in real time (e.g. a long-running mock for a demo).
func WithClock(clock func() time.Time) Option {
	return Option{func(c *config) { c.clock = clock }}
}

// WithStartTime sets the frozen clock's starting instant (default: the real
// time at NewServer, truncated to the second). The clock only moves with
// Advance, so tests never race against the wall clock.
func WithStartTime(t time.Time) Option {
	return Option{func(c *config) { c.start = t }}
}

// WithHoldTTL sets how long a hold locks its slot (default 10 minutes).
func WithHoldTTL(d time.Duration) Option {
	return Option{func(c *config) { c.holdTTL = d }}
}

// WithCatalogue replaces the default credential's catalogue.
func WithCatalogue(cat Catalogue) Option {
	return Option{func(c *config) { c.catalogue = &cat }}
}

// WithSpecValidation checks every request and response against the OpenAPI
// contract this release was built from. A response that violates it, or a
// 2xx answer to a request that violates it, is replaced by a 500 with code
// connected.ErrorCodeInternalError and recorded in SpecViolations.
// Validation costs a server nothing to start and each request some tens of
// microseconds: leave it on in your suites, and a drift between the fake,
// your requests and the contract fails the test that caused it.
func WithSpecValidation(on bool) Option {
	// The contract is parsed once per process and shared by every server
	// (newSpecValidator), which is what makes the start free; the cost per
	// request is measured in BENCHMARKS.md.
	return Option{func(c *config) { c.specValidation = on }}
}

// WithLogger logs one line per request: method, path, status and request id.
// Bodies, header values and query values are never logged.
func WithLogger(l *slog.Logger) Option {
	return Option{func(c *config) { c.logger = l }}
}

// WithListener serves on l instead of a new 127.0.0.1:0 listener. The server
// closes it on Close.
func WithListener(l net.Listener) Option {
	return Option{func(c *config) { c.listener = l }}
}

// WithAddr listens on addr (e.g. "127.0.0.1:8080") instead of 127.0.0.1:0.
func WithAddr(addr string) Option {
	return Option{func(c *config) { c.addr = addr }}
}

// WithRequestRecording says whether the server keeps every request for
// Requests (the default: on). The record grows for as long as the server
// runs, so a long-lived server turns it off (WithExchangeHook can keep a
// bounded journal of its own); tests that inspect Requests leave it on.
// Logging with WithLogger is unaffected.
func WithRequestRecording(on bool) Option {
	return Option{func(c *config) { c.noRecording = !on }}
}

// WithHandler makes the server's listener serve the handler front returns
// instead of srv.Handler(): a handler of your own in front of the fake,
// which answers the paths it owns (an OAuth token endpoint, a page for a
// browser test) and passes the others to srv.Handler(). front is called
// once, by NewServer, before the server takes its first request.
func WithHandler(front func(srv *Server) http.Handler) Option {
	return Option{func(c *config) { c.front = front }}
}
