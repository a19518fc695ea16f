package connected

import (
	"context"
	"net/http"

	"github.com/dronline/connected-go/gen"
)

// QuestionnaireService reads the pre-appointment intake forms of
// appointments whose type requires one.
type QuestionnaireService struct{ c *Client }

// GetForAppointment returns the appointment's questionnaire, with the
// CompletionURL to send to the patient. For an appointment whose type
// requires none, the error's Code is ErrorCodeQuestionnaireNotRequired.
func (s *QuestionnaireService) GetForAppointment(ctx context.Context, appointmentID string, opts ...CallOption) (*Questionnaire, error) {
	if err := checkID("appointment_id", appointmentID); err != nil {
		return nil, s.c.refuse(ctx, opGetAppointmentQuestionnaire(nil), opts, err)
	}
	op := opGetAppointmentQuestionnaire(func(server string) (*http.Request, error) {
		return gen.NewGetAppointmentQuestionnaireRequest(server, appointmentID)
	})
	q, _, err := get[Questionnaire](ctx, s.c, op, opts)
	return q, err
}

// Get returns a questionnaire by its own id.
func (s *QuestionnaireService) Get(ctx context.Context, questionnaireID string, opts ...CallOption) (*Questionnaire, error) {
	if err := checkID("questionnaire_id", questionnaireID); err != nil {
		return nil, s.c.refuse(ctx, opGetQuestionnaire(nil), opts, err)
	}
	op := opGetQuestionnaire(func(server string) (*http.Request, error) {
		return gen.NewGetQuestionnaireRequest(server, questionnaireID)
	})
	q, _, err := get[Questionnaire](ctx, s.c, op, opts)
	return q, err
}
