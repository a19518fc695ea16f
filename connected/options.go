package connected

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is the Connected API's base URL, for live and sandbox keys
// alike: the key decides which.
const DefaultBaseURL = "https://api.dronline.uk/v1"

// Defaults of the retry policy and limits. Each can be changed with an
// Option, on the client or on a single call.
const (
	DefaultMaxRetries       = 2
	DefaultMinBackoff       = 500 * time.Millisecond
	DefaultMaxBackoff       = 8 * time.Second
	DefaultMaxRetryAfter    = 20 * time.Second
	DefaultAttemptTimeout   = 30 * time.Second
	DefaultMaxResponseBytes = 8 << 20
)

// An Option is a setting that means the same on a whole Client and on a
// single call: given to NewClient it sets the client's default, given to a
// method it overrides that default for the call only. Every Option is both
// a ClientOption and a CallOption.
type Option struct {
	apply func(*requestConfig) error
}

// A ClientOption configures a Client: NewClient and NewClientFromEnv take
// them. Every Option is one.
type ClientOption interface {
	applyToClient(*requestConfig) error
}

// A CallOption configures a single call: every method takes them after
// its parameters. Every Option is one, and so are the settings that only
// mean something for one call, WithIdempotencyKey and WithResponseInfo,
// which a Client therefore cannot be given.
type CallOption interface {
	applyToCall(*requestConfig) error
}

// The zero Option changes nothing.
func (o Option) applyToClient(c *requestConfig) error { return o.applyTo(c) }
func (o Option) applyToCall(c *requestConfig) error   { return o.applyTo(c) }

func (o Option) applyTo(c *requestConfig) error {
	if o.apply == nil {
		return nil
	}
	return o.apply(c)
}

// callOnly is a setting of one call only.
type callOnly func(*requestConfig) error

func (o callOnly) applyToCall(c *requestConfig) error { return o(c) }

// requestConfig is everything a call needs besides its operation: the
// client's settings, copied and then overridden by the call's options.
type requestConfig struct {
	baseURL          string // always ends in "/": each operation's path is resolved against it
	httpClient       *http.Client
	maxRetries       int
	minBackoff       time.Duration
	maxBackoff       time.Duration
	maxRetryAfter    time.Duration
	attemptTimeout   time.Duration
	maxResponseBytes int64
	logHooks         *Hooks   // WithLogger's, nil for none
	hooks            []*Hooks // WithHooks', in order
	headers          http.Header

	// Per call only: a CallOption sets them, and a Client never has them.
	idempotencyKey string
	responseInfo   *ResponseInfo
	responseBody   *json.RawMessage

	// Injected by tests (export_test.go): the wait between attempts, the
	// clock for HTTP-date Retry-After values, the jitter source, and how
	// an attempt's context is made (nil: bounded by attemptTimeout).
	wait           func(ctx context.Context, d time.Duration) error
	now            func() time.Time
	jitter         func(d time.Duration) time.Duration
	attemptContext func(ctx context.Context, attempt int) (context.Context, context.CancelFunc)
}

// clientConfig is a Client's configuration: the defaults overridden by
// opts. A Client given no HTTP client gets a transport of its own.
func clientConfig(opts []ClientOption) (requestConfig, error) {
	c := requestConfig{
		baseURL:          DefaultBaseURL + "/",
		maxRetries:       DefaultMaxRetries,
		minBackoff:       DefaultMinBackoff,
		maxBackoff:       DefaultMaxBackoff,
		maxRetryAfter:    DefaultMaxRetryAfter,
		attemptTimeout:   DefaultAttemptTimeout,
		maxResponseBytes: DefaultMaxResponseBytes,
		wait:             sleepContext,
		now:              time.Now,
		jitter:           equalJitter,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyToClient(&c); err != nil {
			return c, err
		}
	}
	if c.httpClient == nil {
		c.httpClient = newDefaultHTTPClient()
	}
	return c, nil
}

// DefaultMaxIdleConnsPerHost is how many idle connections to the API the
// HTTP client of a Client made without WithHTTPClient keeps for reuse.
const DefaultMaxIdleConnsPerHost = 100

// newDefaultHTTPClient is the HTTP client of a Client made without
// WithHTTPClient: one per Client, so Clients never queue behind each other
// and CloseIdleConnections closes only the Client's own.
//
// It is not http.DefaultClient: net/http keeps only 2 idle connections per
// host, so a Client shared by many goroutines would close and redial
// connections all the time (256 goroutines dialled about 12,000
// connections for 14,000 calls). All its traffic goes to one host, the
// API, so the whole idle pool may serve that host; the number of open
// connections is not capped. It is cloned from http.DefaultTransport, so
// the program's proxy, TLS and timeout settings carry over.
func newDefaultHTTPClient() *http.Client {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		// Replaced by the program: use it as is, but with the SDK's
		// redirect policy.
		return withoutRedirects(http.DefaultClient)
	}
	t = t.Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost, t.MaxConnsPerHost = DefaultMaxIdleConnsPerHost, DefaultMaxIdleConnsPerHost, 0
	return &http.Client{Transport: t, CheckRedirect: refuseRedirects}
}

// forCall returns a copy of c with a call's opts applied; c itself is
// never changed, so a call's options cannot leak into the client or into
// another call.
func (c requestConfig) forCall(opts []CallOption) (requestConfig, error) {
	if len(opts) == 0 {
		return c, nil
	}
	c.headers = c.headers.Clone()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt.applyToCall(&c); err != nil {
			return c, err
		}
	}
	return c, nil
}

// WithBaseURL sets the API's base URL, including the /v1 prefix. It must be
// https, except on a loopback address (a local fake server), so that a key
// is never sent in clear text over a network.
//
// The key is sent only to this URL's origin (scheme, host and port). The
// API never redirects, so the SDK follows no redirect, with any HTTP
// client: a 3xx answer is returned as an *Error with its StatusCode whose
// message names the Location (without its query), and nothing is sent to
// where it points — not the key, and not a POST's body or Idempotency-Key.
func WithBaseURL(raw string) Option {
	return Option{func(c *requestConfig) error {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return configError("base URL", "must be an absolute URL such as "+DefaultBaseURL)
		}
		switch u.Scheme {
		case "https":
		case "http":
			if !isLoopback(u.Hostname()) {
				return configError("base URL", "must use https: plain http is allowed only on a loopback address, so the key is never sent in clear text")
			}
		default:
			return configError("base URL", "must use https")
		}
		c.baseURL = strings.TrimSuffix(u.String(), "/") + "/"
		return nil
	}}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WithHTTPClient sets the *http.Client that sends requests, so transports
// such as tracing, proxies or custom TLS compose with the SDK. Its Timeout,
// if any, bounds every attempt; prefer WithAttemptTimeout.
//
// hc is never changed. Its Transport, Jar and Timeout are used as they are
// when the option is applied, but not its CheckRedirect: the SDK follows no
// redirect (see WithBaseURL). A RoundTripper of yours must pass on the
// request's context, as net/http's own do: that is how the SDK sees whether
// a request was written, which decides whether a failed call is Ambiguous.
//
// Without WithHTTPClient, each Client gets an HTTP client of its own,
// built from http.DefaultTransport, that keeps up to
// DefaultMaxIdleConnsPerHost connections to the API idle for reuse
// (net/http's own default keeps 2) and does not cap how many are open at
// once. If you pass your own, size its transport's MaxIdleConnsPerHost to
// your concurrency. Client.CloseIdleConnections closes the idle
// connections of whichever client the Client uses.
func WithHTTPClient(hc *http.Client) Option {
	return Option{func(c *requestConfig) error {
		if hc == nil {
			return configError("HTTP client", "must not be nil")
		}
		c.httpClient = withoutRedirects(hc)
		return nil
	}}
}

// WithMaxRetries sets how many times a failed attempt is retried (default
// 2); 0 disables retries.
func WithMaxRetries(n int) Option {
	return Option{func(c *requestConfig) error {
		if n < 0 {
			return configError("max retries", "must not be negative")
		}
		c.maxRetries = n
		return nil
	}}
}

// WithBackoff sets the first wait between attempts and the cap of the
// exponential backoff (defaults 0.5 s and 8 s).
func WithBackoff(minWait, maxWait time.Duration) Option {
	return Option{func(c *requestConfig) error {
		if minWait < 0 || maxWait < minWait {
			return configError("backoff", "needs 0 <= min <= max")
		}
		c.minBackoff, c.maxBackoff = minWait, maxWait
		return nil
	}}
}

// WithMaxRetryAfter caps how long a server's Retry-After header may make
// the SDK wait (default 20 s).
func WithMaxRetryAfter(d time.Duration) Option {
	return Option{func(c *requestConfig) error {
		if d < 0 {
			return configError("max Retry-After", "must not be negative")
		}
		c.maxRetryAfter = d
		return nil
	}}
}

// WithAttemptTimeout bounds each attempt (default 30 s); 0 means attempts
// are bounded only by the context. An attempt that times out is retried.
func WithAttemptTimeout(d time.Duration) Option {
	return Option{func(c *requestConfig) error {
		if d < 0 {
			return configError("attempt timeout", "must not be negative")
		}
		c.attemptTimeout = d
		return nil
	}}
}

// WithMaxResponseBytes bounds the size of a response body the SDK reads
// (default 8 MiB); a larger one fails with a clear error instead of being
// read into memory.
func WithMaxResponseBytes(n int64) Option {
	return Option{func(c *requestConfig) error {
		if n <= 0 {
			return configError("max response bytes", "must be positive")
		}
		c.maxResponseBytes = n
		return nil
	}}
}

// WithLogger logs one line per attempt: method, path template, status,
// request id, attempt, duration and the retry decision. It never logs a
// header value, a body, a query value, a patient field or the key.
func WithLogger(l *slog.Logger) Option {
	return Option{func(c *requestConfig) error {
		c.logHooks = nil
		if l != nil {
			c.logHooks = logHooks(l)
		}
		return nil
	}}
}

// WithHeader adds a header to every request. The headers the SDK or an
// operation sets (Authorization, Accept, Content-Type, Content-Length,
// Host, Idempotency-Key, User-Agent, X-Appointment-Hold-Token) are refused
// with a *ConfigError that names the header.
func WithHeader(name, value string) Option {
	return Option{func(c *requestConfig) error {
		canonical, err := headerName(name)
		if err != nil {
			return err
		}
		if owner := headerOwner(canonical); owner != ownerNone {
			return headerError(canonical, owner.reason())
		}
		if err := checkHeaderValue(canonical, value); err != nil {
			return err
		}
		if c.headers == nil {
			c.headers = http.Header{}
		}
		c.headers.Add(canonical, value)
		return nil
	}}
}

// WithIdempotencyKey sets the Idempotency-Key of a call other than a GET.
// Without it the SDK makes a random key once per call and reuses it on
// every retry. Give your own key (see NewIdempotencyKey) when you must be
// able to retry after a crash: store it before the call, and call again
// with it.
func WithIdempotencyKey(key string) CallOption {
	return callOnly(func(c *requestConfig) error {
		if err := checkIdempotencyKey(key); err != nil {
			return err
		}
		c.idempotencyKey = key
		return nil
	})
}

// WithResponseInfo fills info with what the call's response said beyond
// its body: request id, idempotency key, status, attempts, and whether it
// was replayed. It is filled on success and on failure.
func WithResponseInfo(info *ResponseInfo) CallOption {
	return callOnly(func(c *requestConfig) error {
		c.responseInfo = info
		return nil
	})
}

// WithResponseBody stores the body of the call's successful response in
// dst, the JSON as the server sent it, so that a field the API added after
// this release of the SDK can be read the day it appears: decode it from
// dst. For an iterator (All), each page's body replaces the last. dst is
// left alone when the call fails. Nothing is kept or copied unless a call
// asks.
//
// The body can hold patient data: treat it as you treat the objects the
// call returns, and never log it.
func WithResponseBody(dst *json.RawMessage) CallOption {
	return callOnly(func(c *requestConfig) error {
		c.responseBody = dst
		return nil
	})
}

// ResponseInfo is what WithResponseInfo captures.
type ResponseInfo struct {
	StatusCode     int    // of the last attempt; 0 if no response arrived
	RequestID      string // X-Request-Id of the last response: quote it to Dr.Online support
	IdempotencyKey string // the key sent on every attempt of a POST; empty for GET
	Replayed       bool   // the response is the stored result of an earlier request with the same key
	Attempts       int    // how many attempts were made
}
