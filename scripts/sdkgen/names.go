package main

import (
	"strings"
	"unicode"
)

// initialisms are the words a Go name spells in capitals: the list of
// oapi-codegen's ToCamelCaseWithInitialisms, and IDs, which oapi-codegen.yaml
// adds. A type name made here must be gen's, so the two lists must agree.
var initialisms = func() map[string]string {
	m := map[string]string{}
	for _, w := range []string{
		"ACL", "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID", "IP", "JSON",
		"QPS", "RAM", "RPC", "SLA", "SMTP", "SQL", "SSH", "TCP", "TLS", "TTL", "UDP", "UI", "GID", "UID", "UUID",
		"URI", "URL", "UTF8", "VM", "XML", "XMPP", "XSRF", "XSS", "SIP", "RTP", "AMQP", "DB", "TS",
		"IDs",
	} {
		m[strings.ToLower(w)] = w
	}
	return m
}()

// goName camel-cases s into a Go name: api_key_invalid is APIKeyInvalid,
// SlotValidation_reason is SlotValidationReason, in_progress is InProgress.
func goName(s string) string {
	var b strings.Builder
	for _, w := range words(s) {
		if up, ok := initialisms[strings.ToLower(w)]; ok {
			b.WriteString(up)
			continue
		}
		r := []rune(w)
		b.WriteString(string(unicode.ToUpper(r[0])) + string(r[1:]))
	}
	return b.String()
}

// words splits s at every character that is not a letter or a digit, and
// before an upper-case letter that follows a lower-case one or a digit.
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = nil
		}
	}
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && len(cur) > 0 && !unicode.IsUpper(cur[len(cur)-1]):
			flush()
		}
		cur = append(cur, r)
	}
	flush()
	return out
}
