package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/internal/contract"
)

// oneID accepts exactly one positional argument, named for the help text.
func oneID(name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return fmt.Errorf("%s takes one %s argument, got %d", cmd.CommandPath(), name, len(args))
		}
		return nil
	}
}

// patientFlags are the patient fields of holds create and confirm.
type patientFlags struct {
	firstName, lastName, email, phone, sex, dateOfBirth string
	metadata                                            []string
}

func (p *patientFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&p.firstName, "first-name", "", "patient's first name")
	fs.StringVar(&p.lastName, "last-name", "", "patient's last name")
	fs.StringVar(&p.email, "email", "", "patient's email address")
	fs.StringVar(&p.phone, "phone", "", "patient's phone number (optional)")
	fs.StringVar(&p.sex, "sex", "", "patient's sex: "+contract.OrList(contract.PatientInputSexValues()))
	fs.StringVar(&p.dateOfBirth, "date-of-birth", "", "patient's date of birth, YYYY-MM-DD")
	fs.StringArrayVar(&p.metadata, "patient-metadata", nil, "patient metadata key=value (repeatable)")
}

// given reports whether any patient field was set.
func (p *patientFlags) given() bool {
	return p.firstName != "" || p.lastName != "" || p.email != "" || p.phone != "" ||
		p.sex != "" || p.dateOfBirth != "" || len(p.metadata) > 0
}

// input builds the patient, refusing a missing or malformed field as a
// usage error. Messages name the flag, never its value (patient data).
func (p *patientFlags) input() (connected.PatientInput, error) {
	given := map[string]string{
		"first_name": p.firstName, "last_name": p.lastName, "email": p.email,
		"sex": p.sex, "date_of_birth": p.dateOfBirth,
	}
	for _, field := range contract.PatientRequiredOrder() {
		if strings.TrimSpace(given[field]) == "" {
			return connected.PatientInput{}, usageErrorf("the patient needs %s (patient flags: --first-name, --last-name, --email, --sex, --date-of-birth, optional --phone)", patientFlag(field))
		}
	}
	sex := connected.Sex(p.sex)
	if !sex.Valid() {
		return connected.PatientInput{}, usageErrorf("--sex must be %s", contract.OrList(contract.PatientInputSexValues()))
	}
	dob, err := connected.ParseDate(p.dateOfBirth)
	if err != nil {
		return connected.PatientInput{}, usageErrorf("--date-of-birth must be a date as YYYY-MM-DD")
	}
	in := connected.PatientInput{
		FirstName: p.firstName, LastName: p.lastName, Email: p.email,
		Sex: sex, DateOfBirth: dob,
	}
	if p.phone != "" {
		in.Phone = connected.Ptr(p.phone)
	}
	md, err := parseMetadata("--patient-metadata", p.metadata)
	if err != nil {
		return connected.PatientInput{}, err
	}
	in.Metadata = md
	return in, nil
}

// patientFlag is the flag of a patient field: date_of_birth is
// --date-of-birth.
func patientFlag(field string) string {
	return "--" + strings.ReplaceAll(field, "_", "-")
}

// parseMetadata reads repeated key=value flags; nil when none were given.
func parseMetadata(flag string, pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(pairs))
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageErrorf("%s takes key=value, got %q", flag, kv)
		}
		m[k] = v
	}
	return m, nil
}

// parseInstant reads an RFC 3339 instant or a YYYY-MM-DD date (midnight UTC).
func parseInstant(flag, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return &t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return &t, nil
	}
	return nil, usageErrorf("%s must be an RFC 3339 time (2026-12-01T09:00:00Z) or a date (2026-12-01)", flag)
}

// idempotencyOption sends --idempotency-key when one was given.
func idempotencyOption(key string) []connected.CallOption {
	if key == "" {
		return nil
	}
	return []connected.CallOption{connected.WithIdempotencyKey(key)}
}

func checkLimit(limit int) error {
	if limit < 0 {
		return usageErrorf("--limit must be 0 (everything) or more")
	}
	return nil
}
