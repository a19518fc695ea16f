package connected

import "github.com/dronline/connected-go/gen"

// The contract's error types and codes are the constants of
// error_codes.gen.go, written by `make generate` from the contract's enums:
// a code the contract adds needs no edit here, and one it renames or
// removes fails to compile where it is used.

// ErrorType is the category of an error, the type field of the API's error
// envelope. The ErrorType… constants are the contract's types, and
// ErrorTypeConnection the SDK's own.
type ErrorType string

// ErrorTypeConnection is not sent by the server: the SDK sets it when the
// call ended without a usable response (network failure, timeout,
// cancelled context, unreadable body).
const ErrorTypeConnection ErrorType = "connection_error"

// ErrorCode is the machine-readable code of an error, the code field of the
// API's error envelope: branch on it, or use errors.Is with the Err…
// sentinels, which group related codes. The ErrorCode… constants are the
// codes of the contract this release was built from; a code Dr.Online added
// since is kept as sent.
type ErrorCode string

// Known reports whether c is one of the contract's codes this release was
// built from, as opposed to one Dr.Online added since. A metric or a log
// that groups by code can keep unknown ones under one label, so that a
// server cannot grow its cardinality without bound.
func (c ErrorCode) Known() bool { return gen.ErrorCode(c).Valid() }

// Known reports whether t is one of the contract's error types, or
// ErrorTypeConnection.
func (t ErrorType) Known() bool { return t == ErrorTypeConnection || gen.ErrorType(t).Valid() }
