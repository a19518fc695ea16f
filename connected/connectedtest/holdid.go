package connectedtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"math"
	"strings"
	"time"
)

// A hold's appointment_id (the blocker id) carries the hold's expiry,
// signed with its credential's secret, and its hold token is derived from
// the id with the same secret. So once a hold has expired the fake can
// forget it entirely and still answer a confirm of it as it did before:
// hold_token_invalid for a wrong token, then hold_expired with the time it
// expired, however much later the confirm comes. Another credential's id,
// or anything the server never issued, fails the signature and answers 404.
//
//	apt_blk_ <16 random> <11: expiry, Unix seconds> <6: nanoseconds> <10: signature>
//
// All parts are base62, so the id is as URL-safe and opaque as before.
const (
	blockerPrefix = "apt_blk_"
	blockerRandom = 16
	blockerSecs   = 11 // 62^11 > 2^64: any int64 fits
	blockerNanos  = 6  // 62^6 > 10^9
	blockerSigLen = 10
	blockerIDLen  = len(blockerPrefix) + blockerRandom + blockerSecs + blockerNanos + blockerSigLen
	holdTokenLen  = 22
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newBlockerID issues the id of a hold that expires at expiresAt.
func (c *credential) newBlockerID(expiresAt time.Time) string {
	var b strings.Builder
	b.Grow(blockerIDLen)
	b.WriteString(newID(blockerPrefix)) // 16 random characters
	// The seconds go through uint64 bit for bit and come back the same way
	// in blockerExpiry; nanoseconds are 0 to 999,999,999.
	writeBase62(&b, uint64(expiresAt.Unix()), blockerSecs)        // #nosec G115 -- a two's-complement round trip
	writeBase62(&b, uint64(expiresAt.Nanosecond()), blockerNanos) // #nosec G115 -- never negative
	b.WriteString(c.sign("blocker", b.String(), blockerSigLen))
	return b.String()
}

// blockerExpiry returns when the hold with this id expires, if this
// credential issued the id.
func (c *credential) blockerExpiry(id string) (time.Time, bool) {
	if len(id) != blockerIDLen || !strings.HasPrefix(id, blockerPrefix) {
		return time.Time{}, false
	}
	body, sig := id[:blockerIDLen-blockerSigLen], id[blockerIDLen-blockerSigLen:]
	if subtle.ConstantTimeCompare([]byte(sig), []byte(c.sign("blocker", body, blockerSigLen))) != 1 {
		return time.Time{}, false
	}
	at := len(blockerPrefix) + blockerRandom
	secs, ok1 := readBase62(body[at : at+blockerSecs])
	nanos, ok2 := readBase62(body[at+blockerSecs:])
	if !ok1 || !ok2 {
		return time.Time{}, false
	}
	return time.Unix(int64(secs), int64(nanos)).UTC(), true // #nosec G115 -- the bits newBlockerID wrote, under a valid signature
}

// holdToken is the X-Appointment-Hold-Token of the hold with this id.
func (c *credential) holdToken(blockerID string) string {
	return "aht_" + c.sign("token", blockerID, holdTokenLen)
}

// tokenMatches compares in constant time, so the fake never teaches clients
// timing habits.
func (c *credential) tokenMatches(blockerID, token string) bool {
	return subtle.ConstantTimeCompare([]byte(token), []byte(c.holdToken(blockerID))) == 1
}

// sign is the first n base62 characters of HMAC-SHA256(secret, purpose, msg).
func (c *credential) sign(purpose, msg string, n int) string {
	m := hmac.New(sha256.New, c.secret[:])
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(msg))
	sum := m.Sum(nil)
	out := make([]byte, n)
	for i := range out {
		out[i] = base62[int(sum[i])%len(base62)]
	}
	return string(out)
}

func writeBase62(b *strings.Builder, v uint64, width int) {
	var digits [blockerSecs]byte
	for i := width - 1; i >= 0; i-- {
		digits[i] = base62[v%62]
		v /= 62
	}
	b.Write(digits[:width])
}

func readBase62(s string) (uint64, bool) {
	var v uint64
	for i := range len(s) {
		d := strings.IndexByte(base62, s[i])
		if d < 0 {
			return 0, false
		}
		if v > (math.MaxUint64-uint64(d))/62 {
			return 0, false
		}
		v = v*62 + uint64(d)
	}
	return v, true
}
