package contract

import (
	"strings"
	"unicode/utf8"

	"github.com/dronline/connected-go/gen"
)

// Kind is the rule a Violation breaks.
type Kind int

// The rules. Param, Object, Min and Max say where and how much.
const (
	// Missing: a required field or header is absent or empty.
	Missing Kind = iota + 1
	// Length: longer than Max characters or, when Min is set, not Min to
	// Max characters.
	Length
	// Empty: a header value is empty once HTTP has trimmed it.
	Empty
	// Control: a header value holds a control character.
	Control
	// Email: not one address of at most Max characters.
	Email
	// Enum: not one of Values.
	Enum
	// TooManyKeys: Object has more than Max keys.
	TooManyKeys
	// ReservedKey: a key of Object starts with MetadataReservedPrefix.
	ReservedKey
	// KeyLength: a key of Object is not Min to Max characters.
	KeyLength
	// ValueLength: a value of Object is longer than Max characters.
	ValueLength
)

// Violation is the first rule a request breaks, in the server's order,
// with the code and param the server answers with. It names the field,
// never the value: values may be patient data.
type Violation struct {
	Kind  Kind
	Code  gen.ErrorCode
	Param string // the field: patient[email], metadata[crm_id], Idempotency-Key
	// Object is the metadata object a key or value rule is about
	// (patient[metadata]); Param then names the key.
	Object   string
	Min, Max int
	Values   []string // of an Enum
}

// Chars is a string's length as the contract measures it. JSON Schema's
// minLength and maxLength count characters (Unicode code points), so "é"
// is one and an emoji is one, where len would say two and four.
func Chars(s string) int { return utf8.RuneCountInString(s) }

// OrList writes values as "a, b, c or d".
func OrList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

func missing(param string) *Violation {
	return &Violation{Kind: Missing, Code: gen.ErrorCodeParameterMissing, Param: param}
}

func invalid(kind Kind, param string, minimum, maximum int) *Violation {
	return &Violation{Kind: kind, Code: gen.ErrorCodeParameterInvalid, Param: param, Min: minimum, Max: maximum}
}
