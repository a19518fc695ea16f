package connectedtest

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"net/http"
	"time"

	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/contract"
)

// idempotencyTTL is how long a key's result is kept (fake time).
const idempotencyTTL = 24 * time.Hour

// idemEntry is what one Idempotency-Key remembers: the request it was first
// used with and, once that finished, its response.
type idemEntry struct {
	key         string
	fingerprint [32]byte
	createdAt   time.Time
	done        bool
	status      int
	header      http.Header
	body        []byte
}

// expired reports whether the key's window has passed: from then on the
// key is new again.
func (e *idemEntry) expired(now time.Time) bool { return now.Sub(e.createdAt) >= idempotencyTTL }

// fingerprint identifies a request for idempotency: method, path and body.
func fingerprint(r *http.Request, body []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(r.Method))
	h.Write([]byte{0})
	h.Write([]byte(r.URL.Path))
	h.Write([]byte{0})
	h.Write(body)
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// idempotency replays, refuses or records POSTs that carry an
// Idempotency-Key. It runs after auth because keys are per credential.
func (s *Server) idempotency(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, sent := r.Header[contract.IdempotencyKeyHeader]
		if r.Method != http.MethodPost || !sent {
			next.ServeHTTP(w, r)
			return
		}
		// The generated wrapper does not check the documented length of
		// what is left once HTTP has dropped the spaces and tabs around
		// the value: a header sent empty breaks it.
		key := contract.Arrives(r.Header.Get(contract.IdempotencyKeyHeader))
		if n := contract.Chars(key); n < contract.IdempotencyKeyMinLength || n > contract.IdempotencyKeyMaxLength {
			errParamInvalid(contract.IdempotencyKeyHeader, fmt.Sprintf("%d to %d characters", contract.IdempotencyKeyMinLength, contract.IdempotencyKeyMaxLength)).write(w)
			return
		}
		cred := credentialFrom(r.Context())
		body, _ := r.Context().Value(ctxBody).([]byte)
		fp := fingerprint(r, body)
		now := s.now()

		s.mu.Lock()
		cred.compact(now)
		e := cred.idem[key]
		if e != nil && e.expired(now) {
			delete(cred.idem, key)
			e = nil
		}
		if e != nil {
			var refusal *apiError
			switch {
			case e.fingerprint != fp:
				refusal = &apiError{status: http.StatusConflict, typ: gen.ErrorTypeIdempotencyError, code: gen.ErrorCodeIdempotencyKeyReused, param: contract.IdempotencyKeyHeader,
					message: "This Idempotency-Key was already used with a different method, path or body. Use a new key for a new request."}
			case !e.done:
				refusal = &apiError{status: http.StatusConflict, typ: gen.ErrorTypeIdempotencyError, code: gen.ErrorCodeIdempotencyKeyInUse, param: contract.IdempotencyKeyHeader,
					message: "A request with this Idempotency-Key is still being processed. Retry after a short wait."}
			}
			if refusal != nil {
				s.mu.Unlock()
				refusal.write(w)
				return
			}
			status, header, stored := e.status, e.header.Clone(), bytes.Clone(e.body)
			s.mu.Unlock()
			for k, v := range header {
				w.Header()[k] = v
			}
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(status)
			_, _ = w.Write(stored)
			return
		}
		e = &idemEntry{key: key, fingerprint: fp, createdAt: now}
		cred.idem[key] = e
		cred.idemExpiry.push(e)
		s.mu.Unlock()

		rec := &bufferedWriter{header: http.Header{}, body: new(bytes.Buffer)}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}

		s.mu.Lock()
		if rec.status == http.StatusTooManyRequests || rec.status >= 500 {
			// Not kept: the retry runs again.
			delete(cred.idem, key)
		} else {
			e.done, e.status, e.header, e.body = true, rec.status, rec.header.Clone(), bytes.Clone(rec.body.Bytes())
		}
		s.mu.Unlock()

		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes())
	})
}
