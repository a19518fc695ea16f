package connected

import (
	"context"
	"time"
)

// Test hooks: they replace the real wait, clock and jitter so that retry
// tests neither sleep nor depend on the wall clock.

// WithWaitFunc replaces the wait between attempts.
func WithWaitFunc(f func(ctx context.Context, d time.Duration) error) Option {
	return func(c *requestConfig) error { c.wait = f; return nil }
}

// WithClock replaces the clock used for HTTP-date Retry-After values.
func WithClock(now func() time.Time) Option {
	return func(c *requestConfig) error { c.now = now; return nil }
}

// WithoutJitter makes backoff waits exact.
func WithoutJitter() Option {
	return func(c *requestConfig) error { c.jitter = func(d time.Duration) time.Duration { return d }; return nil }
}

// WithFirstAttemptTimeoutOnly applies the attempt timeout to the first
// attempt only; later attempts are bounded by the call's context alone. A
// test whose fault makes the first attempt time out lifts the fault before
// the retry, and the retry must then succeed however slow the machine is,
// not within the timeout the fault needed.
func WithFirstAttemptTimeoutOnly() Option {
	return func(c *requestConfig) error {
		c.timeoutOfTest = func(attempt int, d time.Duration) time.Duration {
			if attempt == 1 {
				return d
			}
			return 0
		}
		return nil
	}
}

// EqualJitter exposes the jitter for its own test.
var EqualJitter = equalJitter
