package contract

import (
	"slices"
	"strings"
	"time"
)

// The rules the documentation states only in prose, written once here.

// The prefixes of the two kinds of secret key (the security scheme's
// description: `Bearer sk_live_…` or `Bearer sk_sandbox_…`).
const (
	LiveKeyPrefix    = "sk_live_"
	SandboxKeyPrefix = "sk_sandbox_"
)

// Redacted stands for a secret (a key, a hold token) wherever one could
// be printed.
const Redacted = "REDACTED"

// KeyPrefix is the prefix of the kind of key that key is, "" when it is
// neither.
func KeyPrefix(key string) string {
	for _, p := range []string{LiveKeyPrefix, SandboxKeyPrefix} {
		if strings.HasPrefix(key, p) {
			return p
		}
	}
	return ""
}

// RedactKey is how a secret key is shown: its prefix and Redacted
// (sk_live_REDACTED), or Redacted alone for a value with neither prefix.
func RedactKey(key string) string { return KeyPrefix(key) + Redacted }

// The rules of a metadata object's keys (its description): keys of 1 to
// 40 characters, none starting with "dronline". The prefix is matched as
// written, case and all: "dronline_source" is reserved, "Dronline_source"
// an ordinary key.
const (
	MetadataKeyMinLength   = 1
	MetadataKeyMaxLength   = 40
	MetadataReservedPrefix = "dronline"
)

// The range of a slot query (parameter start_lt): at most 31 days, 14 when
// start_lt is not given.
const (
	MaxSlotRangeDays     = 31
	DefaultSlotRangeDays = 14
	MaxSlotRange         = MaxSlotRangeDays * 24 * time.Hour
	DefaultSlotRange     = DefaultSlotRangeDays * 24 * time.Hour
)

// patientRequired are PatientInputRequired in the order the server
// checks them.
var patientRequired = [...]string{"first_name", "last_name", "email", "date_of_birth", "sex"}

// PatientRequiredOrder returns the required fields of a patient in the
// order the server checks them: a request missing two is refused for the
// first.
func PatientRequiredOrder() []string { return slices.Clone(patientRequired[:]) }
