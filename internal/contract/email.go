package contract

import (
	"net/mail"
	"strings"
)

// ValidEmail is the address check the contract's `format: email` implies:
// one plain address, as net/mail parses it, with no display name.
//
// Nearly every address is the plain local@domain form that plainEmail
// recognises without net/mail, whose parse would accept it unchanged at a
// cost of five allocations and about 2,300 instructions (BENCHMARKS.md);
// anything else goes to net/mail. FuzzPlainEmail checks that ValidEmail
// answers as net/mail alone does.
func ValidEmail(s string) bool {
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
