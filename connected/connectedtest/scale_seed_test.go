package connectedtest

import (
	"maps"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/dronline/connected-go/gen"
)

// Seeding for the scale benchmarks: the state changes hold, confirm and
// cancel make, through the same functions, without HTTP.

// hold makes a pending hold on sl and returns its appointment_id and token.
func (f *scaleFixture) hold(sl slot) (blockerID, token string) {
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	hd := f.c.addHold(sl, f.s.now(), f.s.holdTTL, nil)
	return hd.blockerID, hd.token
}

// book holds and confirms sl with partner reference ref.
func (f *scaleFixture) book(sl slot, ref string) string {
	blockerID, token := f.hold(sl)
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	now := f.s.now()
	hd, err := f.c.pendingHold(blockerID, token, now)
	if err != nil {
		panic(err)
	}
	p := gen.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane@example.com", Sex: gen.SexFemale,
		DateOfBirth: openapi_types.Date{Time: time.Date(1986, 4, 12, 0, 0, 0, 0, time.UTC)}}
	a := &appointment{
		id: newID("apt_"), slot: hd.slot, originalStart: hd.slot.start, confirmedAt: now,
		patientID: f.c.upsertPatient(&p), metadata: maps.Clone(hd.metadata),
		paymentRef: "pi_" + ref, partnerRef: ref,
	}
	f.c.confirmHold(hd, a)
	return a.id
}

// cancel cancels a booked appointment.
func (f *scaleFixture) cancel(id string) {
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	f.c.cancel(f.c.appointments.byID[id], f.s.now())
}
