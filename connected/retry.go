package connected

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"
)

// retryableStatus reports whether a response with this status (and, for
// 409, this code) is worth sending again. The body's format plays no part:
// a JSON-bodied 503 is retried exactly like an HTML one.
func retryableStatus(status int, code ErrorCode) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	case http.StatusConflict:
		// Only "the first request with this key is still running": every
		// other conflict is a fact about the resource that a retry won't change.
		return code == ErrorCodeIdempotencyKeyInUse
	}
	return false
}

// isPermanentNetworkError reports network errors a retry cannot fix: a
// certificate the client does not trust will not be trusted next time.
func isPermanentNetworkError(err error) bool {
	var (
		verify    *tls.CertificateVerificationError
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &unknownCA) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}

// isDialError reports whether a network error is a failure to connect:
// refused, unreachable, or a name that does not resolve. It only words the
// error's message; whether a request may have reached the server is
// decided by what the transport did (sendTrace), not by an error's type.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// backoff is the wait before retry number n (1 for the first retry):
// exponential from minWait, capped at maxWait, then jittered so that many
// clients failing together do not retry together.
func (c *requestConfig) backoff(n int) time.Duration {
	d := c.minBackoff
	for i := 1; i < n && d < c.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.maxBackoff)
	return c.jitter(d)
}

// equalJitter returns a random duration in [d/2, d].
func equalJitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1) //nolint:gosec // jitter needs no cryptographic randomness
}

// retryAfter reads a Retry-After header (delay-seconds or an HTTP date) and
// caps it. ok is false when the header is absent or unreadable, and the
// computed backoff applies instead.
func (c *requestConfig) retryAfter(h http.Header) (d time.Duration, ok bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(c.maxRetryAfter/time.Second) {
			return c.maxRetryAfter, true
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = max(t.Sub(c.now()), 0)
	} else {
		return 0, false
	}
	return min(d, c.maxRetryAfter), true
}

// sleepContext waits for d, or until ctx is done, whichever comes first.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
