package connected_test

import (
	"strconv"
	"strings"

	"github.com/dronline/connected-go/connected"
)

// The inputs of TestClientRulesMatchServer, each with the contract's
// verdict. Lengths are tried exactly at each maxLength and one over, in
// ASCII, in "é" (two bytes, one character), in an emoji (four bytes, one
// character) and in "e" with a combining accent (two characters that
// print as one): the contract counts characters, that is code points.

const (
	eAcute    = "é"
	emoji     = "😀"
	combining = "e\u0301"
)

var (
	missingParam = func(param string) verdict { return refused(connected.ErrorCodeParameterMissing, param) }
	invalidParam = func(param string) verdict { return refused(connected.ErrorCodeParameterInvalid, param) }
	reservedKey  = func(param string) verdict { return refused(connected.ErrorCodeMetadataKeyReserved, param) }
)

func parityCases() []parityCase {
	var cs []parityCase
	cs = append(cs, slotCases()...)
	cs = append(cs, idempotencyKeyCases()...)
	cs = append(cs, confirmCases()...)
	cs = append(cs, patientCases()...)
	cs = append(cs, metadataCases()...)
	return cs
}

func slotCases() []parityCase {
	slot := func(id string) func(*parityInput) {
		return func(in *parityInput) {
			in.hold.SlotID, in.reschedule.SlotID, in.slotID = id, id, id
		}
	}
	noSlot := refused(connected.ErrorCodeResourceMissing, "slot_id")
	noAppointment := refused(connected.ErrorCodeResourceMissing, "appointment_id")
	return []parityCase{
		{"hold: valid", opHold, func(*parityInput) {}, accepted},
		{"hold: empty slot_id", opHold, slot(""), missingParam("slot_id")},
		{"hold: slot_id of a space", opHold, slot(" "), noSlot},
		{"hold: slot_id of a no-break space", opHold, slot("\u00a0"), noSlot},
		{"hold: empty slot_id before a reserved key", opHold, func(in *parityInput) {
			in.hold.SlotID, in.hold.Metadata = "", map[string]string{"dronline": "v"}
		}, missingParam("slot_id")},
		{"hold: metadata before the patient", opHold, func(in *parityInput) {
			p := in.patient
			p.FirstName = ""
			in.hold.Patient, in.hold.Metadata = &p, map[string]string{"dronline": "v"}
		}, reservedKey("metadata[dronline]")},
		{"reschedule: empty slot_id", opReschedule, slot(""), missingParam("slot_id")},
		{"reschedule: slot_id of a space", opReschedule, slot(" "), noAppointment},
		{"reschedule: a free slot", opReschedule, func(*parityInput) {}, noAppointment},
		{"validate slot: valid", opValidate, func(*parityInput) {}, accepted},
		{"validate slot: empty slot_id", opValidate, slot(""), missingParam("slot_id")},
		{"validate slot: slot_id of a space", opValidate, slot(" "), accepted},
	}
}

func idempotencyKeyCases() []parityCase {
	key := func(k string) func(*parityInput) { return func(in *parityInput) { in.key = &k } }
	bad := invalidParam("Idempotency-Key")
	return []parityCase{
		{"Idempotency-Key: 255 ASCII", opHold, key(strings.Repeat("k", 255)), accepted},
		{"Idempotency-Key: 256 ASCII", opHold, key(strings.Repeat("k", 256)), bad},
		{"Idempotency-Key: 255 é", opHold, key(strings.Repeat(eAcute, 255)), accepted},
		{"Idempotency-Key: 256 é", opHold, key(strings.Repeat(eAcute, 256)), bad},
		{"Idempotency-Key: 255 emoji", opHold, key(strings.Repeat(emoji, 255)), accepted},
		{"Idempotency-Key: 256 emoji", opHold, key(strings.Repeat(emoji, 256)), bad},
		// HTTP drops the spaces around a header value: what arrives counts.
		{"Idempotency-Key: 255 ASCII and a trailing space", opHold, key(strings.Repeat("t", 255) + " "), accepted},
		{"Idempotency-Key: empty", opHold, key(""), bad},
		{"Idempotency-Key: a space", opHold, key(" "), bad},
		{"Idempotency-Key: a no-break space", opHold, key("\u00a0"), accepted},
	}
}

func confirmCases() []parityCase {
	token := func(v string) func(*parityInput) { return func(in *parityInput) { in.token = v } }
	payment := func(v string) func(*parityInput) {
		return func(in *parityInput) { in.confirm.ExternalPaymentReference = v }
	}
	partner := func(v string) func(*parityInput) {
		return func(in *parityInput) { in.confirm.PartnerReference = &v }
	}
	noToken := missingParam("X-Appointment-Hold-Token")
	wrongToken := refused(connected.ErrorCodeHoldTokenInvalid, "X-Appointment-Hold-Token")
	badPayment := invalidParam("external_payment_reference")
	badPartner := invalidParam("partner_reference")
	cs := []parityCase{
		{"confirm: valid", opConfirm, func(*parityInput) {}, accepted},
		{"confirm: empty hold token", opConfirm, token(""), noToken},
		{"confirm: hold token of a space", opConfirm, token(" "), noToken},
		{"confirm: hold token of spaces and tabs", opConfirm, token(" \t \t"), noToken},
		{"confirm: hold token of a no-break space", opConfirm, token("\u00a0"), wrongToken},
		{"confirm: wrong hold token", opConfirm, token("aht_wrong"), wrongToken},
		{"confirm: no patient", opConfirm, func(in *parityInput) { in.confirm.Patient = connected.PatientInput{} }, missingParam("patient")},
		{"confirm: empty external_payment_reference", opConfirm, payment(""), missingParam("external_payment_reference")},
		{"confirm: external_payment_reference of a space", opConfirm, payment(" "), accepted},
		{"confirm: no partner_reference", opConfirm, func(in *parityInput) { in.confirm.PartnerReference = nil }, accepted},
		{"confirm: empty partner_reference", opConfirm, partner(""), badPartner},
		{"confirm: partner_reference of a space", opConfirm, partner(" "), accepted},
		{"confirm: partner_reference of 200 é", opConfirm, partner(strings.Repeat(eAcute, 200)), accepted},
		// Several faults: the first in the server's order is reported.
		{"confirm: empty token before no patient", opConfirm, func(in *parityInput) {
			in.token, in.confirm.Patient = "", connected.PatientInput{}
		}, noToken},
		{"confirm: patient before payment reference", opConfirm, func(in *parityInput) {
			in.confirm.Patient.Sex, in.confirm.ExternalPaymentReference = "f", ""
		}, invalidParam("patient[sex]")},
		{"confirm: payment reference before partner reference", opConfirm, func(in *parityInput) {
			in.confirm.ExternalPaymentReference = strings.Repeat("p", 256)
			in.confirm.PartnerReference = connected.Ptr("")
		}, badPayment},
		{"confirm: partner reference before metadata", opConfirm, func(in *parityInput) {
			in.confirm.PartnerReference, in.confirm.Metadata = connected.Ptr(""), map[string]string{"dronline": "v"}
		}, badPartner},
	}
	for _, l := range lengths(255) {
		want := accepted
		if l.over {
			want = badPayment
		}
		cs = append(cs, parityCase{"confirm: external_payment_reference of " + l.name, opConfirm, payment(l.value), want})
		if l.over {
			want = badPartner
		}
		cs = append(cs, parityCase{"confirm: partner_reference of " + l.name, opConfirm, partner(l.value), want})
	}
	return cs
}

// patientSites are where a patient is written: on a hold (optional) and
// on a confirm (required).
var patientSites = []struct {
	name string
	op   parityOp
	set  func(*parityInput, func(*connected.PatientInput))
}{
	{"hold", opHold, func(in *parityInput, edit func(*connected.PatientInput)) {
		p := in.patient
		edit(&p)
		in.hold.Patient = &p
	}},
	{"confirm", opConfirm, func(in *parityInput, edit func(*connected.PatientInput)) { edit(&in.confirm.Patient) }},
}

func patientCases() []parityCase {
	type fieldCase struct {
		name string
		edit func(*connected.PatientInput)
		want verdict
	}
	first := func(v string) func(*connected.PatientInput) {
		return func(p *connected.PatientInput) { p.FirstName = v }
	}
	last := func(v string) func(*connected.PatientInput) {
		return func(p *connected.PatientInput) { p.LastName = v }
	}
	email := func(v string) func(*connected.PatientInput) { return func(p *connected.PatientInput) { p.Email = v } }
	sex := func(v connected.Sex) func(*connected.PatientInput) {
		return func(p *connected.PatientInput) { p.Sex = v }
	}
	phone := func(v string) func(*connected.PatientInput) { return func(p *connected.PatientInput) { p.Phone = &v } }
	// An address of exactly 254 characters: 64 before the @, 189 after.
	domain := strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 61) // 189
	badEmail := invalidParam("patient[email]")
	fs := []fieldCase{
		{"valid", func(*connected.PatientInput) {}, accepted},
		{"no field set", func(p *connected.PatientInput) { *p = connected.PatientInput{} }, missingParam("patient")},
		{"empty first_name", first(""), missingParam("patient[first_name]")},
		{"first_name of a space", first(" "), accepted},
		{"first_name of a tab", first("\t"), accepted},
		{"first_name of a no-break space", first("\u00a0"), accepted},
		{"empty last_name", last(""), missingParam("patient[last_name]")},
		{"last_name of a space", last(" "), accepted},
		{"empty email", email(""), missingParam("patient[email]")},
		{"email of a space", email(" "), badEmail},
		{"email without @", email("jane"), badEmail},
		{"email without domain", email("jane@"), badEmail},
		{"email with a display name", email("Jane <jane@example.com>"), badEmail},
		{"email with a trailing space", email("jane@example.com "), badEmail},
		{"email with é", email("jané@example.com"), accepted},
		{"email of 254 ASCII", email(strings.Repeat("j", 64) + "@" + domain), accepted},
		{"email of 255 ASCII", email(strings.Repeat("j", 65) + "@" + domain), badEmail},
		{"email of 254 with é", email(strings.Repeat(eAcute, 64) + "@" + domain), accepted},
		{"email of 255 with é", email(strings.Repeat(eAcute, 65) + "@" + domain), badEmail},
		{"no date_of_birth", func(p *connected.PatientInput) { p.DateOfBirth = connected.Date{} }, missingParam("patient[date_of_birth]")},
		{"empty sex", sex(""), missingParam("patient[sex]")},
		{"sex f", sex("f"), invalidParam("patient[sex]")},
		{"sex Female", sex("Female"), invalidParam("patient[sex]")},
		{"sex with a trailing space", sex("female "), invalidParam("patient[sex]")},
		{"sex unknown", sex(connected.SexUnknown), accepted},
		{"no phone", func(p *connected.PatientInput) { p.Phone = nil }, accepted},
		{"empty phone", phone(""), accepted},
		// Several faults: every missing field before any invalid one, then
		// the fields in the server's order, then metadata.
		{"empty first_name before a bad email", func(p *connected.PatientInput) { p.FirstName, p.Email = "", "x" }, missingParam("patient[first_name]")},
		{"empty sex before a long first_name", func(p *connected.PatientInput) {
			p.FirstName, p.Sex = strings.Repeat("a", 101), ""
		}, missingParam("patient[sex]")},
		{"bad email before bad sex", func(p *connected.PatientInput) { p.Email, p.Sex = "x", "f" }, badEmail},
		{"long first_name before a reserved key", func(p *connected.PatientInput) {
			p.FirstName, p.Metadata = strings.Repeat("a", 101), map[string]string{"dronline": "v"}
		}, invalidParam("patient[first_name]")},
	}
	for _, l := range lengths(100) {
		want := func(param string) verdict {
			if l.over {
				return invalidParam(param)
			}
			return accepted
		}
		fs = append(fs,
			fieldCase{"first_name of " + l.name, first(l.value), want("patient[first_name]")},
			fieldCase{"last_name of " + l.name, last(l.value), want("patient[last_name]")})
	}
	for _, l := range lengths(32) {
		want := accepted
		if l.over {
			want = invalidParam("patient[phone]")
		}
		fs = append(fs, fieldCase{"phone of " + l.name, phone(l.value), want})
	}
	var cs []parityCase
	for _, s := range patientSites {
		for _, f := range fs {
			edit := f.edit
			cs = append(cs, parityCase{s.name + ": patient " + f.name, s.op, func(in *parityInput) { s.set(in, edit) }, f.want})
		}
	}
	return cs
}

// metadataSites are the four metadata objects of the requests.
var metadataSites = []struct {
	name, param string
	op          parityOp
	set         func(*parityInput, map[string]string)
}{
	{"hold", "metadata", opHold, func(in *parityInput, m map[string]string) { in.hold.Metadata = m }},
	{"hold patient", "patient[metadata]", opHold, func(in *parityInput, m map[string]string) {
		p := in.patient
		p.Metadata = m
		in.hold.Patient = &p
	}},
	{"confirm", "metadata", opConfirm, func(in *parityInput, m map[string]string) { in.confirm.Metadata = m }},
	{"confirm patient", "patient[metadata]", opConfirm, func(in *parityInput, m map[string]string) { in.confirm.Patient.Metadata = m }},
}

func metadataCases() []parityCase {
	type metaCase struct {
		name string
		m    map[string]string
		// code is the refusal's, "" if accepted; key the key the param
		// names, or whole for the metadata object itself.
		code  connected.ErrorCode
		key   string
		whole bool
	}
	long41 := strings.Repeat("a", 41)
	ms := []metaCase{
		{name: "none", m: nil},
		{name: "empty", m: map[string]string{}},
		{name: "50 keys", m: manyKeys(50)},
		{name: "51 keys", m: manyKeys(51), code: connected.ErrorCodeParameterInvalid, whole: true},
		{name: "empty key", m: map[string]string{"": "v"}, code: connected.ErrorCodeParameterInvalid, key: ""},
		{name: "key of a space", m: map[string]string{" ": "v"}},
		{name: "empty value", m: map[string]string{"k": ""}},
		{name: "value of a space", m: map[string]string{"k": " "}},
	}
	for _, k := range []string{"dronline", "dronline_source", "dronlinex"} {
		ms = append(ms, metaCase{name: "reserved key " + k, m: map[string]string{k: "v"}, code: connected.ErrorCodeMetadataKeyReserved, key: k})
	}
	// The contract reserves keys that start with `dronline`, as written.
	for _, k := range []string{"DRONLINE_x", "Dronline", "dronLine", "x_dronline", " dronline", "drönline"} {
		ms = append(ms, metaCase{name: "key " + k, m: map[string]string{k: "v"}})
	}
	for _, l := range lengths(40) {
		c := metaCase{name: "key of " + l.name, m: map[string]string{l.value: "v"}}
		if l.over {
			c.code, c.key = connected.ErrorCodeParameterInvalid, l.value
		}
		ms = append(ms, c)
	}
	for _, l := range lengths(500) {
		c := metaCase{name: "value of " + l.name, m: map[string]string{"k": l.value}}
		if l.over {
			c.code, c.key = connected.ErrorCodeParameterInvalid, "k"
		}
		ms = append(ms, c)
	}
	// Several faults: too many keys first, then the first bad key in
	// sorted order, and for one key its prefix before its lengths.
	withReserved := manyKeys(50)
	withReserved["dronline_a"] = "v"
	ms = append(ms,
		metaCase{name: "51 keys, one reserved", m: withReserved, code: connected.ErrorCodeParameterInvalid, whole: true},
		metaCase{name: "long key sorted before a reserved one", m: map[string]string{long41: "v", "dronline": "v"}, code: connected.ErrorCodeParameterInvalid, key: long41},
		metaCase{name: "reserved key sorted before a long one", m: map[string]string{"z" + long41: "v", "dronline": "v"}, code: connected.ErrorCodeMetadataKeyReserved, key: "dronline"},
		metaCase{name: "reserved key with a long value", m: map[string]string{"dronline_b": strings.Repeat("v", 501)}, code: connected.ErrorCodeMetadataKeyReserved, key: "dronline_b"},
		metaCase{name: "long value sorted after a long key", m: map[string]string{"b": strings.Repeat("v", 501), long41: "v"}, code: connected.ErrorCodeParameterInvalid, key: long41},
	)
	var cs []parityCase
	for _, s := range metadataSites {
		for _, mc := range ms {
			want := accepted
			switch {
			case mc.code == "":
			case mc.whole:
				want = refused(mc.code, s.param)
			default:
				want = refused(mc.code, s.param+"["+mc.key+"]")
			}
			m := mc.m
			cs = append(cs, parityCase{s.name + ": metadata " + mc.name, s.op, func(in *parityInput) { s.set(in, m) }, want})
		}
	}
	return cs
}

// manyKeys is a metadata object of n keys.
func manyKeys(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m["key_"+strconv.Itoa(i)] = "v"
	}
	return m
}

// length is a string of a given length in characters, and whether that
// is over the limit it was made for.
type length struct {
	name, value string
	over        bool
}

// lengths are strings of exactly limit characters and of limit+1, in
// each of the alphabets, with "e" and a combining accent (two code points
// each) made to the same code-point counts, an odd count ending in a bare
// "e".
func lengths(limit int) []length {
	var out []length
	for _, n := range []int{limit, limit + 1} {
		over := n > limit
		for _, a := range []struct{ name, unit string }{{"ASCII", "a"}, {eAcute, eAcute}, {"emoji", emoji}} {
			out = append(out, length{strconv.Itoa(n) + " " + a.name, strings.Repeat(a.unit, n), over})
		}
		v := strings.Repeat(combining, n/2) + strings.Repeat("e", n%2)
		out = append(out, length{strconv.Itoa(n) + " code points of combining accents", v, over})
	}
	return out
}
