package connected

// ErrorType is the category of an error (`error.type`). The contract's
// types are constants in error_codes.gen.go, written by `make generate`.
type ErrorType string

// ErrorTypeConnection is not sent by the server: the SDK sets it when the
// call ended without a usable response (network failure, timeout,
// cancelled context, unreadable body).
const ErrorTypeConnection ErrorType = "connection_error"

// ErrorCode is the machine-readable code of an error (`error.code`): branch
// on it. The contract's codes are constants in error_codes.gen.go, written
// by `make generate`, so a code the contract adds needs no edit here, and
// one it renames or removes fails to compile where it is used. A code this
// SDK does not know yet is kept as sent.
type ErrorCode string
