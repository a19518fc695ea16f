package connected

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The contract's metadata limits, the same on every metadata object: at
// most 50 keys, keys of 1 to 40 characters, values of at most 500
// characters, and no key starting with "dronline".
const (
	metadataMaxKeys        = 50
	metadataMaxKeyLength   = 40
	metadataMaxValueLength = 500
	// reservedMetadataPrefix is matched as written, case and all: the
	// contract reserves keys that start with `dronline`, and a key such as
	// "DRONLINE_x" does not. Refusing it too would refuse what the server
	// may accept; letting it through costs at worst a round trip.
	reservedMetadataPrefix = "dronline"
)

// checkMetadata checks a metadata object; param is the object's own param,
// such as "metadata" or "patient[metadata]". A refusal about one key
// names it, as metadata[key]: keys are the partner's own labels, not
// patient data, and the contract's example names a reserved one so.
//
// When several keys break a rule the server names the first in sorted
// order, so the SDK does too. Sorting needs a slice of the keys, so it is
// done only once a bad key is known to exist: a valid map, the common
// case, costs no allocation.
func checkMetadata(param string, m map[string]string) error {
	if len(m) > metadataMaxKeys {
		return fieldError(ErrorCodeParameterInvalid, param, fmt.Sprintf("%s has more than %d keys", param, metadataMaxKeys))
	}
	for k, v := range m {
		if metadataEntryError(param, k, v) != nil {
			for _, k := range slices.Sorted(maps.Keys(m)) {
				if err := metadataEntryError(param, k, m[k]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// metadataEntryError checks one key and its value, in the server's order:
// the reserved prefix, the key's length, the value's length.
func metadataEntryError(param, k, v string) error {
	switch {
	case strings.HasPrefix(k, reservedMetadataPrefix):
		return fieldError(ErrorCodeMetadataKeyReserved, param+"["+k+"]", param+" keys starting with \"dronline\" are reserved")
	case k == "" || chars(k) > metadataMaxKeyLength:
		return fieldError(ErrorCodeParameterInvalid, param+"["+k+"]", fmt.Sprintf("%s keys must be 1 to %d characters", param, metadataMaxKeyLength))
	case chars(v) > metadataMaxValueLength:
		return fieldError(ErrorCodeParameterInvalid, param+"["+k+"]", fmt.Sprintf("%s values must be at most %d characters", param, metadataMaxValueLength))
	}
	return nil
}
