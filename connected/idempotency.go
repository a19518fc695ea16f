package connected

import (
	"github.com/google/uuid"

	"github.com/dronline/connected-go/internal/contract"
)

// NewIdempotencyKey returns a random version 4 UUID, a good Idempotency-Key.
// Make one yourself and store it before a call when you must be able to
// repeat that call after a crash: pass it with WithIdempotencyKey, then and
// on every repetition.
func NewIdempotencyKey() string {
	return uuid.NewString()
}

// checkIdempotencyKey refuses a key the server would refuse, or one that
// could not travel in a header.
func checkIdempotencyKey(key string) error {
	return refusal(contract.CheckIdempotencyKey(key))
}
