package connected

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// The checks here save a round trip for requests the server is certain to
// refuse, with the code and param the server would give. They check only
// rules the contract states, so they never refuse what the server accepts.
// Messages name the field, never its value: values may be patient data.

const (
	metadataMaxKeys        = 50
	metadataMaxKeyLength   = 40
	metadataMaxValueLength = 500
	reservedMetadataPrefix = "dronline"
	maxReferenceLength     = 255
)

func checkMetadata(param string, m map[string]string) error {
	if len(m) > metadataMaxKeys {
		return fieldError(ErrorCodeParameterInvalid, param, fmt.Sprintf("%s has more than %d keys", param, metadataMaxKeys))
	}
	// The key's parameter name is only made for an error: a valid map,
	// the common case, costs no string per key.
	for k, v := range m {
		switch {
		case strings.HasPrefix(k, reservedMetadataPrefix):
			return fieldError(ErrorCodeMetadataKeyReserved, param+"["+k+"]", "metadata keys starting with \"dronline\" are reserved")
		case k == "" || utf8.RuneCountInString(k) > metadataMaxKeyLength:
			return fieldError(ErrorCodeParameterInvalid, param, fmt.Sprintf("%s keys must be 1 to %d characters", param, metadataMaxKeyLength))
		case utf8.RuneCountInString(v) > metadataMaxValueLength:
			return fieldError(ErrorCodeParameterInvalid, param+"["+k+"]", fmt.Sprintf("%s values must be at most %d characters", param, metadataMaxValueLength))
		}
	}
	return nil
}

func checkPatient(param string, p *PatientInput) error {
	if p == nil {
		return fieldError(ErrorCodeParameterMissing, param, param+" is required")
	}
	for _, f := range []struct{ name, value string }{
		{"first_name", p.FirstName}, {"last_name", p.LastName}, {"email", p.Email}, {"sex", string(p.Sex)},
	} {
		if strings.TrimSpace(f.value) == "" {
			name := param + "[" + f.name + "]"
			return fieldError(ErrorCodeParameterMissing, name, name+" is required")
		}
	}
	if p.DateOfBirth.IsZero() {
		name := param + "[date_of_birth]"
		return fieldError(ErrorCodeParameterMissing, name, name+" is required (YYYY-MM-DD; see ParseDate)")
	}
	if !validEmail(p.Email) {
		name := param + "[email]"
		return fieldError(ErrorCodeParameterInvalid, name, name+" must be an email address")
	}
	if !p.Sex.Valid() {
		name := param + "[sex]"
		return fieldError(ErrorCodeParameterInvalid, name, name+" must be female, male, other or unknown")
	}
	return checkMetadata(param+"[metadata]", p.Metadata)
}

// validEmail is the address check the contract's `format: email` implies:
// one plain address, as net/mail parses it, with no display name.
//
// Nearly every address is the plain local@domain form that plainEmail
// recognises without net/mail, whose parse would accept it unchanged at a
// cost of five allocations and about 2,300 instructions (BENCHMARKS.md);
// anything else goes to net/mail. FuzzPlainEmail checks that validEmail
// answers as net/mail alone does.
func validEmail(s string) bool {
	if plainEmail(s) {
		return true
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// plainEmail reports whether s is local@domain, each a dot-atom of ASCII
// letters, digits and "+-_" (RFC 5322: atoms joined by single dots, no dot
// first or last). net/mail parses such an address to itself.
func plainEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && plainDotAtom(local) && plainDotAtom(domain)
}

func plainDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '+', c == '-', c == '_':
		case c == '.' && s[i-1] != '.':
		default:
			return false
		}
	}
	return true
}

func checkRequired(param, value string) error {
	if strings.TrimSpace(value) == "" {
		return fieldError(ErrorCodeParameterMissing, param, param+" is required")
	}
	return nil
}

func checkReference(param string, value *string) error {
	if value == nil {
		return nil
	}
	if *value == "" || utf8.RuneCountInString(*value) > maxReferenceLength {
		return fieldError(ErrorCodeParameterInvalid, param, fmt.Sprintf("%s must be 1 to %d characters", param, maxReferenceLength))
	}
	return nil
}

// checkID refuses a path id that could change which path is requested or
// break the request line; the generated code escapes everything else.
func checkID(param, id string) error {
	if id == "" {
		return fieldError(ErrorCodeParameterMissing, param, param+" is required")
	}
	if id == "." || id == ".." || strings.ContainsAny(id, "/\\?#%") || !validHeaderValue(id) || strings.ContainsAny(id, " \t") {
		return fieldError(ErrorCodeParameterInvalid, param, param+" is not a valid id")
	}
	return nil
}
