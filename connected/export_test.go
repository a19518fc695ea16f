package connected

import (
	"context"
	"time"
)

// Test hooks: they replace the real wait, clock and jitter so that retry
// tests neither sleep nor depend on the wall clock.

// WithWaitFunc replaces the wait between attempts.
func WithWaitFunc(f func(ctx context.Context, d time.Duration) error) Option {
	return Option{func(c *requestConfig) error { c.wait = f; return nil }}
}

// WithClock replaces the clock used for HTTP-date Retry-After values.
func WithClock(now func() time.Time) Option {
	return Option{func(c *requestConfig) error { c.now = now; return nil }}
}

// WithoutJitter makes backoff waits exact.
func WithoutJitter() Option {
	return Option{func(c *requestConfig) error { c.jitter = func(d time.Duration) time.Duration { return d }; return nil }}
}

// WithAttemptContext replaces how each attempt's context is made from the
// call's (attempt counts from 1), in place of the attempt timeout, so that a
// test can end an attempt at an exact point — typically with
// cancel(context.DeadlineExceeded) from an httptrace hook — instead of after
// a timer that a loaded machine may or may not beat.
func WithAttemptContext(f func(ctx context.Context, attempt int) (context.Context, context.CancelFunc)) Option {
	return Option{func(c *requestConfig) error { c.attemptContext = f; return nil }}
}

// EqualJitter exposes the jitter for its own test.
var EqualJitter = equalJitter
