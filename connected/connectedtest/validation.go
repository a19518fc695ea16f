package connectedtest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dronline/connected-go/internal/contract"
)

// The contract's rules for the request fields the handlers check beyond
// what decoding checks are package contract's, the SDK's too; refusal
// words its Violation in the fake's envelope. Messages name the field,
// never its value: patient data must not come back in errors.

// refusal is the fake's answer to a broken rule, nil for none.
func refusal(v *contract.Violation) *apiError {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case contract.Missing:
		return errParamMissing(v.Param)
	case contract.Length:
		if v.Min > 0 {
			return errParamInvalid(v.Param, fmt.Sprintf("%d to %d characters", v.Min, v.Max))
		}
		return errParamInvalid(v.Param, fmt.Sprintf("at most %d characters", v.Max))
	case contract.Email:
		return errParamInvalid(v.Param, "not a valid email address")
	case contract.Enum:
		return errParamInvalid(v.Param, "must be one of "+strings.Join(v.Values, ", "))
	case contract.TooManyKeys:
		return errParamInvalid(v.Object, fmt.Sprintf("at most %d keys", v.Max))
	case contract.ReservedKey:
		return invalidRequest(http.StatusBadRequest, v.Code, v.Param, "Metadata keys starting with '"+contract.MetadataReservedPrefix+"' are reserved.")
	case contract.KeyLength:
		return invalidRequest(http.StatusBadRequest, v.Code, v.Param, fmt.Sprintf("Invalid parameter %s: keys must be %d to %d characters.", v.Object, v.Min, v.Max))
	case contract.ValueLength:
		return invalidRequest(http.StatusBadRequest, v.Code, v.Param, fmt.Sprintf("Invalid parameter %s: values must be at most %d characters.", v.Object, v.Max))
	}
	return invalidRequest(http.StatusBadRequest, v.Code, v.Param, "Invalid parameter "+v.Param+".")
}

// mergedMetadataFits reports whether add, merged over stored, leaves at
// most maxKeys keys. Metadata merges over what a resource has, and the
// limit is the stored object's; a key already stored does not count twice.
func mergedMetadataFits(stored, add map[string]string, maxKeys int) bool {
	n := len(stored)
	for k := range add {
		if _, ok := stored[k]; !ok {
			n++
		}
	}
	return n <= maxKeys
}

// tooManyMerged is the refusal of metadata that, merged over what param's
// resource has (how), would have too many keys.
func tooManyMerged(param, how string, maxKeys int) *apiError {
	return errParamInvalid(param, fmt.Sprintf("%s more than %d keys", how, maxKeys))
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
