// Package connected is the Go SDK of the Dr.Online Connected API: book
// Dr.Online appointments from your own backend.
//
// The booking flow is: read the account, discover the catalogue
// (appointment types, practitioners, free slots), hold a slot, confirm the
// hold with the patient and your payment reference, then read, reconcile,
// reschedule or cancel the appointment.
//
//	client, err := connected.NewClientFromEnv() // DRONLINE_API_KEY, DRONLINE_BASE_URL
//	hold, err := client.Holds.Create(ctx, &connected.HoldParams{SlotID: slot.ID})
//	appt, err := client.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, &connected.ConfirmParams{
//		Patient: patient, ExternalPaymentReference: paymentIntentID, PartnerReference: &caseID,
//	})
//	// Store appt.ID: it may differ from hold.AppointmentID.
//
// # Safe by default
//
// Every POST carries an Idempotency-Key, made once per call and reused by
// every retry, so a retry never books twice. Failed attempts are retried
// (connection failures, timeouts, 408, 429, 500, 502, 503, 504, and 409
// while the same key is still being processed) with capped exponential
// backoff and jitter, honouring Retry-After up to a cap; the wait ends as
// soon as the context is cancelled, and the error of a call stopped by its
// context satisfies errors.Is(err, context.Canceled) (or
// DeadlineExceeded). When a POST may have taken effect — its request was
// written — but the SDK could not see its result, the *Error is Ambiguous
// and carries the key: call again with
// WithIdempotencyKey(err.IdempotencyKey) to get the original result.
//
// The key goes only to the base URL's origin: the API never redirects, so
// the SDK follows no redirect, with its own HTTP client or yours.
//
// # Errors
//
// Every error from a call is a *Error: use errors.As and branch on Code,
// or errors.Is with the Err… sentinels (ErrHoldExpired, ErrSlotUnavailable,
// ErrRescheduleRefused, ErrNotFound, …). Retryable says whether the same
// request may still succeed later, once the SDK's own retries have run
// out. RequestID is what Dr.Online support needs.
//
// # Operations without a method yet
//
// Client.Do calls any operation by its method and path template, with path
// parameters, query, headers and a JSON body: an operation the contract
// added after this release is callable at once, with the same retries,
// idempotency keys, errors, options and logging as every method.
//
// # Health data
//
// The SDK never logs a body, a header value, a query value, a patient field
// or the key; the key is redacted in every way a Client can be printed, and
// error messages never repeat a patient's values.
//
// # Testing
//
// Package connectedtest runs a stateful in-memory Dr.Online on loopback
// that enforces the documented rules; point a client at it with
// WithBaseURL(srv.URL()) and srv.APIKey().
package connected
