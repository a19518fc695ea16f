package connected

import (
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/dronline/connected-go/internal/contract"
)

// CheckoutStateVersion is the version of the CheckoutState this SDK
// writes. Complete accepts only the versions it knows, so a state stored
// by a later SDK is refused instead of misread.
const CheckoutStateVersion = 1

// CheckoutSafetyMargin is how much of the hold's life PaymentTimeLeft
// keeps back for the confirm itself: its retries, and a clock that is a
// little off.
const CheckoutSafetyMargin = time.Minute

// CheckoutState is what the second half of a checkout needs, returned by
// CheckoutService.Start. Store it with your order (it is plain JSON, see
// Version) before you take the payment, and pass it to Complete after:
// from the same process, or from another one after a restart.
//
// It holds no patient data. HoldToken is a secret: store it as you store
// other credentials of an order, and do not log it. String, GoString,
// LogValue and every fmt verb print the state with the token redacted.
type CheckoutState struct {
	// Version is CheckoutStateVersion when the state was made.
	Version int `json:"version"`
	// Slot is the slot the patient chose and pays for.
	Slot Slot `json:"slot"`
	// HoldAppointmentID and HoldToken are what confirm takes: the hold's
	// appointment_id and its secret token.
	HoldAppointmentID string `json:"hold_appointment_id"`
	HoldToken         string `json:"hold_token"`
	// HoldExpiresAt is when the hold lapses, by your clock: the time of
	// the hold request plus the hold's life as the server gave it, so a
	// clock that differs from Dr.Online's does not shorten or lengthen it.
	HoldExpiresAt time.Time `json:"hold_expires_at"`
	// PartnerReference is sent on confirm and finds the appointment again
	// when a confirm's outcome is unknown.
	PartnerReference string `json:"partner_reference"`
	// Metadata is the metadata of the hold, sent again if the slot has to
	// be held a second time.
	Metadata map[string]string `json:"metadata,omitempty"`
	// ConfirmIdempotencyKey is the key of every confirm of this checkout,
	// made before the payment so that a confirm repeated after a crash
	// books at most once.
	ConfirmIdempotencyKey string `json:"confirm_idempotency_key"`
	// Seal binds the parts above together: Start writes a digest of each,
	// and Complete refuses a state whose slot, hold, reference or metadata
	// was changed since (by a bug, a migration or a hand), naming the part,
	// before it sends anything. Store it with the rest.
	Seal map[string]string `json:"seal"`
}

// PaymentTimeLeft says how long the payment may still take, at now, for
// the confirm to meet the hold still in force: the time to HoldExpiresAt
// less CheckoutSafetyMargin, or 0. Use it to bound the payment session at
// your payment provider. A payment that takes longer is not lost:
// Complete then holds the same slot again if it is still free.
func (s *CheckoutState) PaymentTimeLeft(now time.Time) time.Duration {
	return max(s.HoldExpiresAt.Sub(now)-CheckoutSafetyMargin, 0)
}

// redactedState is the state as it may be printed: without the hold
// token. It has no methods, so fmt prints its fields.
type redactedState struct {
	Version               int
	Slot                  string
	Start                 time.Time
	HoldAppointmentID     string
	HoldToken             string
	HoldExpiresAt         time.Time
	PartnerReference      string
	Metadata              map[string]string
	ConfirmIdempotencyKey string
}

func (s CheckoutState) redacted() redactedState {
	token := ""
	if s.HoldToken != "" {
		token = contract.Redacted
	}
	return redactedState{
		Version: s.Version, Slot: s.Slot.ID, Start: s.Slot.Start, HoldAppointmentID: s.HoldAppointmentID,
		HoldToken: token, HoldExpiresAt: s.HoldExpiresAt, PartnerReference: s.PartnerReference,
		Metadata: maps.Clone(s.Metadata), ConfirmIdempotencyKey: s.ConfirmIdempotencyKey,
	}
}

// String describes the state with its hold token redacted.
func (s CheckoutState) String() string {
	// Value receivers, so a state printed by value is covered as well as
	// a *CheckoutState.
	return fmt.Sprintf("connected.CheckoutState%+v", s.redacted())
}

// GoString is String, so %#v cannot reveal the hold token either.
func (s CheckoutState) GoString() string { return s.String() }

// Format makes every fmt verb (%v, %+v, %#v, %s, %d, …) print String.
func (s CheckoutState) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue logs the state's fields with the hold token redacted.
func (s CheckoutState) LogValue() slog.Value {
	r := s.redacted()
	return slog.GroupValue(
		slog.Int("version", r.Version),
		slog.String("slot_id", r.Slot),
		slog.Time("start", r.Start),
		slog.String("hold_appointment_id", r.HoldAppointmentID),
		slog.String("hold_token", r.HoldToken),
		slog.Time("hold_expires_at", r.HoldExpiresAt),
		slog.String("partner_reference", r.PartnerReference),
		slog.String("confirm_idempotency_key", r.ConfirmIdempotencyKey),
	)
}

// check refuses a state Complete cannot use: another version, or one
// missing what the confirm or a second hold needs.
func (s *CheckoutState) check() error {
	switch {
	case s == nil:
		return missing("checkout state")
	case s.Version != CheckoutStateVersion:
		return invalid("checkout state", fmt.Sprintf("has version %d; this SDK reads version %d", s.Version, CheckoutStateVersion))
	case s.Slot.ID == "":
		return missing("slot.id")
	case s.PartnerReference == "":
		return missing("partner_reference")
	}
	if err := checkID("hold_appointment_id", s.HoldAppointmentID); err != nil {
		return err
	}
	if err := checkHoldToken(s.HoldToken); err != nil {
		return err
	}
	for _, key := range []string{s.ConfirmIdempotencyKey, s.holdAgainKey(), s.confirmAgainKey()} {
		if err := checkIdempotencyKey(key); err != nil {
			return err
		}
	}
	return s.checkSeal()
}

// The keys of the second hold and its confirm derive from the confirm's
// key, so that they too are the same after a restart, and no second
// version of the state has to be stored.
func (s *CheckoutState) holdAgainKey() string    { return s.ConfirmIdempotencyKey + "/hold-again" }
func (s *CheckoutState) confirmAgainKey() string { return s.ConfirmIdempotencyKey + "/confirm-again" }
