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

// Is reports whether e belongs to target, one of the Err… sentinels of
// this package, so that errors.Is(err, ErrRescheduleRefused) holds for
// every code of that family. Any other target, including another *Error,
// is not matched here; errors.Is then goes on to e's cause (Unwrap).
func (e *Error) Is(target error) bool {
	// The one table of what each sentinel covers. A sentinel covers a
	// status as well as its code where an answer may come without the
	// documented envelope (a proxy's 429, a gateway's 404), so that
	// errors.Is still holds.
	switch target {
	case ErrHoldExpired:
		return e.Code == ErrorCodeHoldExpired
	case ErrHoldTokenInvalid:
		return e.Code == ErrorCodeHoldTokenInvalid
	case ErrHoldAlreadyConfirmed:
		return e.Code == ErrorCodeHoldAlreadyConfirmed
	case ErrSlotUnavailable:
		return e.Code == ErrorCodeSlotUnavailable
	case ErrRescheduleRefused:
		switch e.Code {
		case ErrorCodeRescheduleLimitReached, ErrorCodeRescheduleOutsideWindow, ErrorCodeRescheduleTooLate:
			return true
		}
		return false
	case ErrAlreadyCancelled:
		return e.Code == ErrorCodeAppointmentAlreadyCancelled
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound || e.Code == ErrorCodeResourceMissing
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests || e.Code == ErrorCodeRateLimited
	case ErrAuthentication:
		return e.StatusCode == http.StatusUnauthorized || e.Type == ErrorTypeAuthentication
	case ErrIdempotencyKeyReused:
		return e.Code == ErrorCodeIdempotencyKeyReused
	case ErrInvalidRequest:
		// StatusCode 0 with this type: the SDK refused the request
		// before sending it (fieldError).
		return e.StatusCode == http.StatusBadRequest || (e.StatusCode == 0 && e.Type == ErrorTypeInvalidRequest)
	case ErrAmbiguous:
		return e.Ambiguous
	}
	return false
}

// Retryable reports whether the same request may succeed if sent again:
// Dr.Online was rate limiting (429), failed or was briefly unavailable
// (500, 502, 503, 504), the request timed out (408), another request with
// the same idempotency key was still in progress (409
// ErrorCodeIdempotencyKeyInUse), or the network failed. Before returning such an
// error the SDK has already sent the request again as often as its retry
// policy allowed (WithMaxRetries, WithBackoff, WithMaxRetryAfter), unless
// the call's context ended first. You may send it again later; for a POST,
// pass WithIdempotencyKey(e.IdempotencyKey), so that it cannot act twice.
//
// A refusal (any other 4xx) or a server certificate the client does not
// trust is not Retryable: the same request would fail the same way.
func (e *Error) Retryable() bool {
	return retryableStatus(e.StatusCode, e.Code) || (e.Type == ErrorTypeConnection && !isPermanentNetworkError(e.Err))
}

// The errors integrations branch on: test for them with errors.Is(err,
// ErrHoldExpired); errors.As(err, &apiErr) with an *Error gives the
// details. Each one is matched by the *Error values described on it.
var (
	// ErrHoldExpired: the hold lapsed before confirm, code
	// ErrorCodeHoldExpired. Create a new hold.
	ErrHoldExpired = errors.New("dronline: hold expired")
	// ErrHoldTokenInvalid: the hold token does not match the hold, code
	// ErrorCodeHoldTokenInvalid.
	ErrHoldTokenInvalid = errors.New("dronline: hold token invalid")
	// ErrHoldAlreadyConfirmed: another request, with another idempotency
	// key, confirmed the hold; code ErrorCodeHoldAlreadyConfirmed.
	ErrHoldAlreadyConfirmed = errors.New("dronline: hold already confirmed")
	// ErrSlotUnavailable: the slot is held, booked, past or no longer
	// offered; code ErrorCodeSlotUnavailable. Pick another slot.
	ErrSlotUnavailable = errors.New("dronline: slot unavailable")
	// ErrRescheduleRefused: the reschedule policy refused, with any of
	// ErrorCodeRescheduleLimitReached (already rescheduled once),
	// ErrorCodeRescheduleOutsideWindow (more than 48 h from the original
	// start) and ErrorCodeRescheduleTooLate (within 24 h of the current
	// start).
	ErrRescheduleRefused = errors.New("dronline: reschedule refused")
	// ErrAlreadyCancelled: the appointment is already cancelled, code
	// ErrorCodeAppointmentAlreadyCancelled.
	ErrAlreadyCancelled = errors.New("dronline: appointment already cancelled")
	// ErrNotFound: no such object for this credential: HTTP 404, or code
	// ErrorCodeResourceMissing.
	ErrNotFound = errors.New("dronline: not found")
	// ErrRateLimited: too many requests, after the SDK's retries: HTTP
	// 429, or code ErrorCodeRateLimited.
	ErrRateLimited = errors.New("dronline: rate limited")
	// ErrAuthentication: the key is missing, malformed or not active:
	// HTTP 401, or type ErrorTypeAuthentication.
	ErrAuthentication = errors.New("dronline: authentication failed")
	// ErrIdempotencyKeyReused: the idempotency key was used before with
	// another request, code ErrorCodeIdempotencyKeyReused. Use a new key
	// for a new request.
	ErrIdempotencyKeyReused = errors.New("dronline: idempotency key reused")
	// ErrInvalidRequest: the request was refused as invalid: HTTP 400, or
	// by the SDK before sending (StatusCode 0, type
	// ErrorTypeInvalidRequest, Param naming the field).
	ErrInvalidRequest = errors.New("dronline: invalid request")
	// ErrAmbiguous: a POST may have taken effect although the SDK could
	// not see its result (the *Error is Ambiguous). Call again with
	// WithIdempotencyKey(err.IdempotencyKey) to get the original result.
	ErrAmbiguous = errors.New("dronline: outcome unknown")
)

// fieldError is the SDK's own refusal of a request before sending it,
// with the same code the server would give.
func fieldError(code ErrorCode, param, message string) *Error {
	return &Error{Type: ErrorTypeInvalidRequest, Code: code, Param: param, Message: message}
}
