package bench

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// handAppointment is the struct a partner would write for an appointment
// instead of using the SDK: the same fields as gen.Appointment, plain Go
// types, nothing generated. Decoding into it is the floor the SDK's types
// are measured against.
type handAppointment struct {
	ID                       string            `json:"id"`
	Object                   string            `json:"object"`
	AppointmentTypeID        string            `json:"appointment_type_id"`
	BookingChannelID         *string           `json:"booking_channel_id"`
	CancelledAt              *time.Time        `json:"cancelled_at"`
	ConfirmedAt              time.Time         `json:"confirmed_at"`
	End                      time.Time         `json:"end"`
	ExternalPaymentReference string            `json:"external_payment_reference"`
	Metadata                 map[string]string `json:"metadata"`
	OriginalStart            time.Time         `json:"original_start"`
	PartnerReference         *string           `json:"partner_reference"`
	Patient                  handPatient       `json:"patient"`
	PractitionerID           string            `json:"practitioner_id"`
	QuestionnaireID          *string           `json:"questionnaire_id"`
	RescheduleCount          int               `json:"reschedule_count"`
	RescheduledAt            *time.Time        `json:"rescheduled_at"`
	Start                    time.Time         `json:"start"`
	Status                   string            `json:"status"`
}

type handPatient struct {
	ID          string            `json:"id"`
	Object      string            `json:"object"`
	DateOfBirth string            `json:"date_of_birth"`
	Email       string            `json:"email"`
	FirstName   string            `json:"first_name"`
	LastName    string            `json:"last_name"`
	Metadata    map[string]string `json:"metadata"`
	Phone       *string           `json:"phone"`
	Sex         string            `json:"sex"`
}

func (c *rawClient) getHandAppointment(ctx context.Context, id string) (*handAppointment, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/connected/appointments/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	var a handAppointment
	if err := c.do(req, &a); err != nil {
		return nil, err
	}
	return &a, nil
}
