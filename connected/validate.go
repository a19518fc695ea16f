package connected

import (
	"fmt"
	"strings"

	"github.com/dronline/connected-go/internal/contract"
)

// The checks here refuse before sending a request the server is certain
// to refuse, with the code and param the server gives. Each is either a
// rule the contract states (required, minLength, maxLength, enum, email
// format, the metadata limits) or a value that cannot travel (a header
// value with control characters), and each is measured as the contract
// measures: lengths in characters, never bytes, and a string of spaces is
// a string, not a missing value. So they never refuse what the server
// accepts. Where a request breaks several rules, they run in the order the
// server checks, so the first refusal is the one the server would give.
// Messages name the field, never its value: values may be patient data.

// refusal is the SDK's error for a rule of the contract a request breaks
// (package contract checks them), with the server's code and param.
func refusal(v *contract.Violation) error {
	if v == nil {
		return nil
	}
	return fieldError(ErrorCode(v.Code), v.Param, refusalMessage(v))
}

func refusalMessage(v *contract.Violation) string {
	switch v.Kind {
	case contract.Missing:
		if strings.HasSuffix(v.Param, "[date_of_birth]") {
			return v.Param + " is required (YYYY-MM-DD; see ParseDate)"
		}
		return v.Param + " is required"
	case contract.Length:
		if v.Min > 0 {
			return fmt.Sprintf("%s must be %d to %d characters", v.Param, v.Min, v.Max)
		}
		return fmt.Sprintf("%s must be at most %d characters", v.Param, v.Max)
	case contract.Empty:
		return v.Param + " must not be empty"
	case contract.Control:
		return v.Param + " contains control characters"
	case contract.Email:
		return fmt.Sprintf("%s must be an email address of at most %d characters", v.Param, v.Max)
	case contract.Enum:
		return v.Param + " must be " + contract.OrList(v.Values)
	case contract.TooManyKeys:
		return fmt.Sprintf("%s has more than %d keys", v.Object, v.Max)
	case contract.ReservedKey:
		return fmt.Sprintf("%s keys starting with %q are reserved", v.Object, contract.MetadataReservedPrefix)
	case contract.KeyLength:
		return fmt.Sprintf("%s keys must be %d to %d characters", v.Object, v.Min, v.Max)
	case contract.ValueLength:
		return fmt.Sprintf("%s values must be at most %d characters", v.Object, v.Max)
	}
	return v.Param + " is invalid"
}

func missing(param string) error {
	return fieldError(ErrorCodeParameterMissing, param, param+" is required")
}

func invalid(param, rule string) error {
	return fieldError(ErrorCodeParameterInvalid, param, param+" "+rule)
}

// checkHold checks the body of a hold: slot_id, then metadata, then the
// patient if there is one.
func checkHold(params *HoldParams) error {
	return refusal(contract.CheckHold(params))
}

// checkConfirm checks a confirm's hold token, then its body: the patient,
// the two references, then metadata.
func checkConfirm(holdToken string, params *ConfirmParams) error {
	if err := checkHoldToken(holdToken); err != nil {
		return err
	}
	return refusal(contract.CheckConfirm(params))
}

// checkHoldToken checks the X-Appointment-Hold-Token header.
func checkHoldToken(token string) error {
	return refusal(contract.CheckHoldToken(token))
}

// checkReschedule checks the body of a reschedule: slot_id.
func checkReschedule(params *RescheduleParams) error {
	if params == nil {
		return missing("slot_id")
	}
	return checkSlotID(params.SlotID)
}

// checkSlotID checks the slot_id of a hold, a reschedule or a slot
// validation: required, at least one character.
func checkSlotID(slotID string) error {
	if slotID == "" {
		return missing("slot_id")
	}
	return nil
}

// checkID refuses a path id that could change which path is requested or
// break the request line; the generated code escapes everything else.
func checkID(param, id string) error {
	if id == "" {
		return missing(param)
	}
	if id == "." || id == ".." || strings.ContainsAny(id, "/\\?#%") || !contract.ValidHeaderValue(id) || strings.ContainsAny(id, " \t") {
		return invalid(param, "is not a valid id")
	}
	return nil
}
