package connected

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"time"
)

// The seal of a CheckoutState binds its parts together. Start writes a
// digest of each part, salted with the confirm's idempotency key, and
// Complete refuses a state whose parts no longer match their digests
// before it sends anything: a slot id changed by a bug, a migration or a
// hand would otherwise be reported as booked while the hold books another
// slot. It is a check against mistakes, not against someone who can write
// the store: they could compute it too.

// sealedParts are the parts of a state its seal covers, by the names the
// state's JSON gives them, in the order a mismatch is reported.
func (s *CheckoutState) sealedParts() [][2]string {
	md := make([]string, 0, len(s.Metadata))
	for _, k := range slices.Sorted(maps.Keys(s.Metadata)) {
		md = append(md, k+"="+s.Metadata[k])
	}
	return [][2]string{
		{"slot.id", s.Slot.ID},
		{"slot.appointment_type_id", s.Slot.AppointmentTypeID},
		{"slot.practitioner_id", s.Slot.PractitionerID},
		{"slot.start", s.Slot.Start.UTC().Format(time.RFC3339Nano)},
		{"slot.end", s.Slot.End.UTC().Format(time.RFC3339Nano)},
		{"hold_appointment_id", s.HoldAppointmentID},
		{"hold_token", s.HoldToken},
		{"hold_expires_at", s.HoldExpiresAt.UTC().Format(time.RFC3339Nano)},
		{"partner_reference", s.PartnerReference},
		{"metadata", strings.Join(md, "\x00")},
	}
}

// sealDigest is a part's digest: 16 bytes of SHA-256 over the confirm's
// key, the part's name and its value.
func (s *CheckoutState) sealDigest(name, value string) string {
	h := sha256.New()
	for _, p := range []string{s.ConfirmIdempotencyKey, name, value} {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// seal returns the state's seal.
func (s *CheckoutState) seal() map[string]string {
	parts := s.sealedParts()
	out := make(map[string]string, len(parts))
	for _, p := range parts {
		out[p[0]] = s.sealDigest(p[0], p[1])
	}
	return out
}

// checkSeal refuses a state whose parts do not match its seal, naming the
// part that changed; when none matches, the confirm's key changed.
func (s *CheckoutState) checkSeal() error {
	if len(s.Seal) == 0 {
		return missing("seal")
	}
	var changed []string
	parts := s.sealedParts()
	for _, p := range parts {
		if s.Seal[p[0]] != s.sealDigest(p[0], p[1]) {
			changed = append(changed, p[0])
		}
	}
	switch {
	case len(changed) == 0:
		return nil
	case len(changed) == len(parts):
		return invalid("confirm_idempotency_key", "does not agree with the rest of the checkout state: the state was changed since Start made it")
	}
	return invalid(changed[0], "does not agree with the rest of the checkout state: the state was changed since Start made it")
}
