package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/internal/contract"
)

// The fields of the answers the flow reads to go on. Everything else of a
// body is only checked against the contract.
type (
	vList[T any] struct {
		Data []T `json:"data"`
	}
	vType struct {
		ID                    string `json:"id"`
		QuestionnaireRequired bool   `json:"questionnaire_required"`
	}
	vPractitioner struct {
		ID      string   `json:"id"`
		TypeIDs []string `json:"appointment_type_ids"`
	}
	vID struct {
		ID string `json:"id"`
	}
	vValidation struct {
		Available bool `json:"available"`
	}
	vHold struct {
		AppointmentID string `json:"appointment_id"`
		HoldToken     string `json:"hold_token"` // never printed
	}
	vAppointment struct {
		ID                string    `json:"id"`
		AppointmentTypeID string    `json:"appointment_type_id"`
		PractitionerID    string    `json:"practitioner_id"`
		Start             time.Time `json:"start"`
		OriginalStart     time.Time `json:"original_start"`
		Patient           vID       `json:"patient"`
	}
)

// verifyPatient is the run's synthetic patient. Its fields are never
// printed.
func verifyPatient() map[string]any {
	return map[string]any{
		"first_name": "Synthetic", "last_name": "Testpatient", "email": "synthetic.testpatient@example.com",
		"sex": "unknown", "date_of_birth": "1990-01-01",
	}
}

// flowState is what the flow learns as it goes.
type flowState struct {
	types       []vType
	pracs       []vPractitioner
	aptType     vType
	slotID      string
	hold        vHold
	confirmKey  string
	appointment vAppointment
}

// steps is the documented flow, in its order, with the error answers the
// documentation names that can be provoked without side effects: a wrong
// hold token, an unknown id, a replay of the confirm with its key (and,
// for a type without a questionnaire, questionnaire_not_required).
func (v *verifier) steps() []step {
	var st flowState
	p := func(k, val string) *connected.RawParams { return &connected.RawParams{Path: map[string]string{k: val}} }
	apt := func() *connected.RawParams { return p("appointment_id", st.appointment.ID) }
	return []step{
		{name: "account", run: func(ctx context.Context, op *opResult) error {
			return wantOK(v.call(ctx, op, http.MethodGet, "/connected/account", nil, nil, nil))
		}},
		{name: "appointment types", run: func(ctx context.Context, op *opResult) error {
			var raw json.RawMessage
			if err := wantOK(v.call(ctx, op, http.MethodGet, "/connected/appointment_types", &connected.RawParams{Query: query("limit", "100")}, nil, &raw)); err != nil {
				return err
			}
			var l vList[vType]
			if err := decode(raw, &l); err != nil {
				return err
			}
			st.types = l.Data
			return nil
		}},
		{name: "practitioners", run: func(ctx context.Context, op *opResult) error {
			var raw json.RawMessage
			if err := wantOK(v.call(ctx, op, http.MethodGet, "/connected/practitioners", &connected.RawParams{Query: query("limit", "100")}, nil, &raw)); err != nil {
				return err
			}
			var l vList[vPractitioner]
			if err := decode(raw, &l); err != nil {
				return err
			}
			st.pracs = l.Data
			return nil
		}},
		{name: "slots", run: func(ctx context.Context, op *opResult) error { return v.findSlot(ctx, op, &st) }},
		{name: "validate", write: true, run: func(ctx context.Context, op *opResult) error {
			var raw json.RawMessage
			if err := wantOK(v.call(ctx, op, http.MethodPost, "/connected/slots/validate", nil, map[string]any{"slot_id": st.slotID}, &raw)); err != nil {
				return err
			}
			var val vValidation
			if err := decode(raw, &val); err != nil {
				return err
			}
			if !val.Available {
				return fmt.Errorf("slot %s cannot be held any more", st.slotID)
			}
			return nil
		}},
		{name: "hold", write: true, run: func(ctx context.Context, op *opResult) error {
			var raw json.RawMessage
			body := map[string]any{"slot_id": st.slotID, "patient": verifyPatient(), "metadata": map[string]string{"source": "dronline-verify"}}
			if err := wantOK(v.call(ctx, op, http.MethodPost, "/connected/appointment_holds", nil, body, &raw)); err != nil {
				return err
			}
			return decode(raw, &st.hold)
		}},
		{name: "confirm: wrong hold token", write: true, run: func(ctx context.Context, op *opResult) error {
			params := p("appointment_id", st.hold.AppointmentID)
			params.Header = http.Header{contract.HoldTokenHeader: {"aht_dronline_verify_wrong"}}
			var raw json.RawMessage
			status, apiErr, err := v.call(ctx, op, http.MethodPost, "/connected/appointments/{appointment_id}/confirm", params, v.confirmBody(), &raw)
			var booked vAppointment
			if err == nil && apiErr == nil && decode(raw, &booked) == nil && booked.ID != "" {
				v.booked = booked.ID // confirmed with a wrong token: cancelled at the end
			}
			return wantError(op, status, apiErr, err, http.StatusBadRequest, connected.ErrorCodeHoldTokenInvalid)
		}},
		{name: "confirm", write: true, run: func(ctx context.Context, op *opResult) error {
			var raw json.RawMessage
			st.confirmKey = "verify-confirm-" + v.runRef
			params := p("appointment_id", st.hold.AppointmentID)
			params.Header = http.Header{contract.HoldTokenHeader: {st.hold.HoldToken}}
			if err := wantOK(v.call(ctx, op, http.MethodPost, "/connected/appointments/{appointment_id}/confirm", params, v.confirmBody(), &raw, connected.WithIdempotencyKey(st.confirmKey))); err != nil {
				return err
			}
			if err := decode(raw, &st.appointment); err != nil || st.appointment.ID == "" {
				return errors.New("the confirmed appointment has no id to go on with")
			}
			v.booked = st.appointment.ID
			return nil
		}},
		{name: "confirm: replay", write: true, run: func(ctx context.Context, op *opResult) error {
			var raw json.RawMessage
			params := p("appointment_id", st.hold.AppointmentID)
			params.Header = http.Header{contract.HoldTokenHeader: {st.hold.HoldToken}}
			if err := wantOK(v.call(ctx, op, http.MethodPost, "/connected/appointments/{appointment_id}/confirm", params, v.confirmBody(), &raw,
				connected.WithIdempotencyKey(st.confirmKey))); err != nil {
				return err
			}
			var again vAppointment
			if decode(raw, &again) == nil && again.ID != st.appointment.ID {
				op.Findings = append(op.Findings, finding{Kind: kindViolation, Where: "$.id", Count: 1, What: "a replay with the same Idempotency-Key returns the first result: the same appointment"})
			}
			if !v.last.Replayed {
				op.Findings = append(op.Findings, finding{Kind: kindViolation, Where: "header Idempotent-Replayed", Count: 1, What: "a replay with the same Idempotency-Key carries `true`"})
			}
			return nil
		}},
		{name: "get", write: true, run: func(ctx context.Context, op *opResult) error {
			return wantOK(v.call(ctx, op, http.MethodGet, "/connected/appointments/{appointment_id}", apt(), nil, nil))
		}},
		{name: "get: unknown id", run: func(ctx context.Context, op *opResult) error {
			status, apiErr, err := v.call(ctx, op, http.MethodGet, "/connected/appointments/{appointment_id}", p("appointment_id", "apt_verify_unknown_"+v.runRef), nil, nil)
			return wantError(op, status, apiErr, err, http.StatusNotFound, connected.ErrorCodeResourceMissing)
		}},
		{name: "list by partner_reference", run: func(ctx context.Context, op *opResult) error {
			var raw json.RawMessage
			q := query("partner_reference", v.runRef, "limit", "100")
			if err := wantOK(v.call(ctx, op, http.MethodGet, "/connected/appointments", &connected.RawParams{Query: q}, nil, &raw)); err != nil {
				return err
			}
			var l vList[vID]
			if err := decode(raw, &l); err != nil {
				return err
			}
			if st.appointment.ID != "" && !slices.Contains(l.Data, vID{st.appointment.ID}) {
				op.Findings = append(op.Findings, finding{Kind: kindViolation, Where: "$.data", Count: 1, What: "listing by partner_reference returns the appointment confirmed with it"})
			}
			return nil
		}},
		{name: "patient", write: true, run: func(ctx context.Context, op *opResult) error {
			return wantOK(v.call(ctx, op, http.MethodGet, "/connected/patients/{patient_id}", p("patient_id", st.appointment.Patient.ID), nil, nil))
		}},
		{name: "questionnaire", write: true, run: func(ctx context.Context, op *opResult) error {
			status, apiErr, err := v.call(ctx, op, http.MethodGet, "/connected/appointments/{appointment_id}/questionnaire", apt(), nil, nil)
			if !st.aptType.QuestionnaireRequired {
				op.Name = "questionnaire: none required"
				return wantError(op, status, apiErr, err, http.StatusNotFound, connected.ErrorCodeQuestionnaireNotRequired)
			}
			return wantOK(status, apiErr, err)
		}},
		{name: "reschedule", write: true, run: func(ctx context.Context, op *opResult) error { return v.reschedule(ctx, op, &st) }},
		{name: "cancel", write: true, run: func(ctx context.Context, op *opResult) error {
			if err := wantOK(v.call(ctx, op, http.MethodPost, "/connected/appointments/{appointment_id}/cancel", apt(), nil, nil)); err != nil {
				return err
			}
			v.booked = ""
			return nil
		}},
	}
}

func (v *verifier) confirmBody() map[string]any {
	return map[string]any{"patient": verifyPatient(), "external_payment_reference": v.runRef, "partner_reference": v.runRef}
}

// verifyMaxSlotQueries bounds the slot searches of a catalogue with many
// (type, practitioner) pairs. The searches start leadTime ahead, as demo's
// do, so the reschedule policy allows a move.
const verifyMaxSlotQueries = 20

// findSlot looks for a free slot, types with a questionnaire first, one
// request per (type, practitioner) pair, at most verifyMaxSlotQueries.
func (v *verifier) findSlot(ctx context.Context, op *opResult, st *flowState) error {
	from := v.now().Add(leadTime).UTC().Truncate(time.Minute)
	to := from.Add(slotSearchWindow)
	types := slices.Clone(st.types)
	slices.SortStableFunc(types, func(x, y vType) int { return btoi(!x.QuestionnaireRequired) - btoi(!y.QuestionnaireRequired) })
	queries := 0
	for _, t := range types {
		for _, pr := range st.pracs {
			if !slices.Contains(pr.TypeIDs, t.ID) || queries == verifyMaxSlotQueries {
				continue
			}
			queries++
			slot, err := v.firstSlot(ctx, op, t.ID, pr.ID, from, to)
			if err != nil {
				return err
			}
			if slot != "" {
				st.aptType, st.slotID = t, slot
				return nil
			}
		}
	}
	if queries == 0 {
		return errors.New("the catalogue offers no appointment type with a practitioner")
	}
	if v.readOnly {
		return nil // the list answers were checked; nothing is held
	}
	return fmt.Errorf("no free slot between %s and %s", formatTime(from), formatTime(to))
}

func (v *verifier) firstSlot(ctx context.Context, op *opResult, typeID, pracID string, from, to time.Time) (string, error) {
	var raw json.RawMessage
	q := query("appointment_type_id", typeID, "practitioner_id", pracID,
		"start_gte", from.Format(time.RFC3339), "start_lt", to.Format(time.RFC3339), "limit", strconv.Itoa(1))
	if err := wantOK(v.call(ctx, op, http.MethodGet, "/connected/slots", &connected.RawParams{Query: q}, nil, &raw)); err != nil {
		return "", err
	}
	var l vList[vID]
	if err := decode(raw, &l); err != nil {
		return "", err
	}
	if len(l.Data) == 0 {
		return "", nil
	}
	return l.Data[0].ID, nil
}

// reschedule moves the appointment to a later slot inside the policy's
// window, as demo does.
func (v *verifier) reschedule(ctx context.Context, op *opResult, st *flowState) error {
	a := st.appointment
	slot, err := v.firstSlot(ctx, op, a.AppointmentTypeID, a.PractitionerID, a.Start.Add(rescheduleAfter), a.OriginalStart.Add(rescheduleWithin))
	if err != nil {
		return err
	}
	if slot == "" {
		return errors.New("no free slot to reschedule to inside the policy's window")
	}
	return wantOK(v.call(ctx, op, http.MethodPost, "/connected/appointments/{appointment_id}/reschedule",
		&connected.RawParams{Path: map[string]string{"appointment_id": a.ID}}, map[string]any{"slot_id": slot}, nil))
}
