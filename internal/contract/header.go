package contract

import (
	"strings"

	"github.com/dronline/connected-go/gen"
)

// Arrives is what the server reads of a header value: HTTP drops the
// spaces and tabs around it.
func Arrives(v string) string { return strings.Trim(v, " \t") }

// ValidHeaderValue reports whether v holds no control character but tab,
// so that it can travel in a header.
func ValidHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < 0x20 && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}

// CheckIdempotencyKey refuses an Idempotency-Key the server would refuse,
// or one that could not travel in a header: the contract allows
// IdempotencyKeyMinLength to IdempotencyKeyMaxLength characters of what
// arrives.
func CheckIdempotencyKey(key string) *Violation {
	switch n := Chars(Arrives(key)); {
	case n < IdempotencyKeyMinLength:
		return invalid(Empty, IdempotencyKeyHeader, IdempotencyKeyMinLength, IdempotencyKeyMaxLength)
	case n > IdempotencyKeyMaxLength:
		return invalid(Length, IdempotencyKeyHeader, 0, IdempotencyKeyMaxLength)
	case !ValidHeaderValue(key):
		return invalid(Control, IdempotencyKeyHeader, 0, 0)
	}
	return nil
}

// CheckHoldToken checks the X-Appointment-Hold-Token of a confirm: a
// token of only spaces and tabs arrives empty, missing; one with control
// characters cannot be sent, and no real token has them.
func CheckHoldToken(token string) *Violation {
	if Chars(Arrives(token)) < HoldTokenMinLength {
		return missing(HoldTokenHeader)
	}
	if !ValidHeaderValue(token) {
		return &Violation{Kind: Control, Code: gen.ErrorCodeHoldTokenInvalid, Param: HoldTokenHeader}
	}
	return nil
}
