package connected

import "github.com/dronline/connected-go/gen"

// ErrorType is the category of an error (`error.type`).
type ErrorType string

// The error types of the contract, plus ErrorTypeConnection, which the SDK
// sets itself when no usable response arrived.
const (
	ErrorTypeAPI            = ErrorType(gen.ErrorTypeAPIError)
	ErrorTypeAuthentication = ErrorType(gen.ErrorTypeAuthenticationError)
	ErrorTypeIdempotency    = ErrorType(gen.ErrorTypeIdempotencyError)
	ErrorTypeInvalidRequest = ErrorType(gen.ErrorTypeInvalidRequestError)
	ErrorTypeRateLimit      = ErrorType(gen.ErrorTypeRateLimitError)

	// ErrorTypeConnection is not sent by the server: the SDK sets it when
	// the call ended without a usable response (network failure, timeout,
	// cancelled context, unreadable body).
	ErrorTypeConnection ErrorType = "connection_error"
)

// ErrorCode is the machine-readable code of an error (`error.code`): branch
// on it. A code this SDK does not know yet is kept as sent.
type ErrorCode string

// Every error code of the contract. Each constant is tied to the generated
// enum, so a code renamed or removed in the contract fails to compile here.
const (
	ErrorCodeAPIKeyInvalid               = ErrorCode(gen.ErrorCodeAPIKeyInvalid)
	ErrorCodeAppointmentAlreadyCancelled = ErrorCode(gen.ErrorCodeAppointmentAlreadyCancelled)
	ErrorCodeAuthenticationRequired      = ErrorCode(gen.ErrorCodeAuthenticationRequired)
	ErrorCodeHoldAlreadyConfirmed        = ErrorCode(gen.ErrorCodeHoldAlreadyConfirmed)
	ErrorCodeHoldExpired                 = ErrorCode(gen.ErrorCodeHoldExpired)
	ErrorCodeHoldTokenInvalid            = ErrorCode(gen.ErrorCodeHoldTokenInvalid)
	ErrorCodeIdempotencyKeyInUse         = ErrorCode(gen.ErrorCodeIdempotencyKeyInUse)
	ErrorCodeIdempotencyKeyReused        = ErrorCode(gen.ErrorCodeIdempotencyKeyReused)
	ErrorCodeInternalError               = ErrorCode(gen.ErrorCodeInternalError)
	ErrorCodeMetadataKeyReserved         = ErrorCode(gen.ErrorCodeMetadataKeyReserved)
	ErrorCodeParameterInvalid            = ErrorCode(gen.ErrorCodeParameterInvalid)
	ErrorCodeParameterMissing            = ErrorCode(gen.ErrorCodeParameterMissing)
	ErrorCodeQuestionnaireNotRequired    = ErrorCode(gen.ErrorCodeQuestionnaireNotRequired)
	ErrorCodeRateLimited                 = ErrorCode(gen.ErrorCodeRateLimited)
	ErrorCodeRescheduleLimitReached      = ErrorCode(gen.ErrorCodeRescheduleLimitReached)
	ErrorCodeRescheduleOutsideWindow     = ErrorCode(gen.ErrorCodeRescheduleOutsideWindow)
	ErrorCodeRescheduleTooLate           = ErrorCode(gen.ErrorCodeRescheduleTooLate)
	ErrorCodeResourceMissing             = ErrorCode(gen.ErrorCodeResourceMissing)
	ErrorCodeServiceUnavailable          = ErrorCode(gen.ErrorCodeServiceUnavailable)
	ErrorCodeSlotUnavailable             = ErrorCode(gen.ErrorCodeSlotUnavailable)
)
