package connected

import (
	"strings"

	"github.com/google/uuid"
)

// NewIdempotencyKey returns a random version 4 UUID, a good Idempotency-Key.
// Make one yourself and store it before a call when you must be able to
// repeat that call after a crash: pass it with WithIdempotencyKey, then and
// on every repetition.
func NewIdempotencyKey() string {
	return uuid.NewString()
}

// checkIdempotencyKey refuses a key the server would refuse, or one that
// could not travel in a header. The contract allows 1 to 255 characters;
// HTTP drops the spaces and tabs around a header value, so a key of only
// those arrives empty, and the server measures what arrives.
func checkIdempotencyKey(key string) error {
	arrives := strings.Trim(key, " \t")
	switch {
	case arrives == "":
		return fieldError(ErrorCodeParameterInvalid, "Idempotency-Key", "Idempotency-Key must not be empty")
	case chars(arrives) > maxIdempotencyKeyLength:
		return fieldError(ErrorCodeParameterInvalid, "Idempotency-Key", "Idempotency-Key must be at most 255 characters")
	case !validHeaderValue(key):
		return fieldError(ErrorCodeParameterInvalid, "Idempotency-Key", "Idempotency-Key contains control characters")
	}
	return nil
}
