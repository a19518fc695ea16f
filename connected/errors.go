package connected

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error is every error the SDK returns from an API call: an error response
// from Dr.Online, a request the SDK refused before sending it (StatusCode
// 0, Type ErrorTypeInvalidRequest), or a call that got no usable response
// (Type ErrorTypeConnection, with the cause in Err). Use errors.As to get it
// and branch on Code; errors.Is works with the Err… sentinels and with
// context.Canceled / context.DeadlineExceeded.
//
// Its message never contains a patient field, a body or the key.
type Error struct {
	Type       ErrorType
	Code       ErrorCode // as sent by the server, kept even if this SDK does not know it
	Message    string
	Param      string // the parameter or header the error is about, if any
	StatusCode int    // HTTP status of the last attempt; 0 if none arrived or the SDK refused the request
	RequestID  string // X-Request-Id of the last response: quote it to Dr.Online support

	// IdempotencyKey is the key every attempt of a POST carried. When
	// Ambiguous, call again with WithIdempotencyKey(IdempotencyKey): the
	// server replays the first result instead of acting twice.
	IdempotencyKey string
	Attempts       int

	// Ambiguous reports that a POST may have taken effect although the SDK
	// could not see its result: an attempt's request was written to the
	// connection (so the server may have received it) and got no answer,
	// a 5xx or an answer cut short, and the call ended without a
	// definitive one. A request that was never written — the context was
	// done before, the dial or the name lookup failed, a RoundTripper
	// refused it — is never ambiguous: it cannot have taken effect.
	Ambiguous bool

	// Err is the underlying cause when there is one: the network error, the
	// context's error, or why a response body could not be read. When a
	// call stops because its context is done — during an attempt, while
	// waiting to retry, or when deciding to — Err includes the context's
	// error and its cause, so errors.Is(err, context.Canceled) or
	// errors.Is(err, context.DeadlineExceeded) holds, and the other fields
	// still describe the last attempt (its status, code and request id).
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("dronline: ")
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "%d ", e.StatusCode)
	}
	switch {
	case e.Code != "":
		b.WriteString(string(e.Code))
	case e.Type != "":
		b.WriteString(string(e.Type))
	default:
		b.WriteString("error")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil && e.Message == "" {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Param != "" {
		fmt.Fprintf(&b, " (param %s)", e.Param)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request_id %s]", e.RequestID)
	}
	if e.Type != ErrorTypeConnection {
		// A connection error's message already says it was cancelled or
		// timed out; an answer's message is the server's, so say it here.
		switch {
		case errors.Is(e.Err, context.Canceled):
			b.WriteString(" [call stopped: context cancelled]")
		case errors.Is(e.Err, context.DeadlineExceeded):
			b.WriteString(" [call stopped: context deadline exceeded]")
		}
	}
	if e.Ambiguous {
		fmt.Fprintf(&b, " [outcome unknown: retry with idempotency key %s]", e.IdempotencyKey)
	}
	return b.String()
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether e belongs to target, when target is one of the Err…
// sentinels of this package.
func (e *Error) Is(target error) bool {
	var c *errorClass
	if errors.As(target, &c) {
		return c.match(e)
	}
	return false
}

// Temporary reports whether the same request may succeed if sent again
// later: rate limiting, a server error, an idempotent request still in
// progress, or a network failure.
func (e *Error) Temporary() bool {
	return retryableStatus(e.StatusCode, e.Code) || (e.Type == ErrorTypeConnection && !isPermanentNetworkError(e.Err))
}

// errorClass is a sentinel that matches a family of *Error values, so that
// errors.Is(err, ErrRescheduleRefused) covers all three reschedule codes.
type errorClass struct {
	name  string
	match func(*Error) bool
}

func (c *errorClass) Error() string { return "dronline: " + c.name }

func codeIn(codes ...ErrorCode) func(*Error) bool {
	return func(e *Error) bool {
		for _, c := range codes {
			if e.Code == c {
				return true
			}
		}
		return false
	}
}

// Sentinels for the errors integrations branch on. Use errors.Is(err, …);
// errors.As(err, &*Error) gives the details.
var (
	// ErrHoldExpired: the hold lapsed before confirm; create a new hold.
	ErrHoldExpired error = &errorClass{"hold expired", codeIn(ErrorCodeHoldExpired)}
	// ErrHoldTokenInvalid: X-Appointment-Hold-Token does not match the hold.
	ErrHoldTokenInvalid error = &errorClass{"hold token invalid", codeIn(ErrorCodeHoldTokenInvalid)}
	// ErrHoldAlreadyConfirmed: another request (another idempotency key) confirmed the hold.
	ErrHoldAlreadyConfirmed error = &errorClass{"hold already confirmed", codeIn(ErrorCodeHoldAlreadyConfirmed)}
	// ErrSlotUnavailable: the slot is held, booked, past or no longer offered.
	ErrSlotUnavailable error = &errorClass{"slot unavailable", codeIn(ErrorCodeSlotUnavailable)}
	// ErrRescheduleRefused: the reschedule policy refused (limit reached, outside the 48 h window, within 24 h of start).
	ErrRescheduleRefused error = &errorClass{"reschedule refused", codeIn(ErrorCodeRescheduleLimitReached, ErrorCodeRescheduleOutsideWindow, ErrorCodeRescheduleTooLate)}
	// ErrAlreadyCancelled: the appointment is already cancelled.
	ErrAlreadyCancelled error = &errorClass{"appointment already cancelled", codeIn(ErrorCodeAppointmentAlreadyCancelled)}
	// ErrNotFound: no such object for this credential (HTTP 404).
	ErrNotFound error = &errorClass{"not found", func(e *Error) bool { return e.StatusCode == http.StatusNotFound || e.Code == ErrorCodeResourceMissing }}
	// ErrRateLimited: too many requests (HTTP 429), after the SDK's retries.
	ErrRateLimited error = &errorClass{"rate limited", func(e *Error) bool {
		return e.StatusCode == http.StatusTooManyRequests || e.Code == ErrorCodeRateLimited
	}}
	// ErrAuthentication: the key is missing, malformed or not active (HTTP 401).
	ErrAuthentication error = &errorClass{"authentication failed", func(e *Error) bool {
		return e.StatusCode == http.StatusUnauthorized || e.Type == ErrorTypeAuthentication
	}}
	// ErrIdempotencyKeyReused: the key was used before with another request.
	ErrIdempotencyKeyReused error = &errorClass{"idempotency key reused", codeIn(ErrorCodeIdempotencyKeyReused)}
	// ErrInvalidRequest: the request was refused as invalid (HTTP 400, or by the SDK before sending).
	ErrInvalidRequest error = &errorClass{"invalid request", func(e *Error) bool {
		return e.StatusCode == http.StatusBadRequest || (e.StatusCode == 0 && e.Type == ErrorTypeInvalidRequest)
	}}
	// ErrAmbiguous: a POST may have taken effect; retry with the error's IdempotencyKey.
	ErrAmbiguous error = &errorClass{"outcome unknown", func(e *Error) bool { return e.Ambiguous }}
)

// fieldError is the SDK's own refusal of a request before sending it,
// with the same code the server would give.
func fieldError(code ErrorCode, param, message string) *Error {
	return &Error{Type: ErrorTypeInvalidRequest, Code: code, Param: param, Message: message}
}
