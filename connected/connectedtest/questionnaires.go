package connectedtest

import (
	"context"
	"net/http"

	"github.com/dronline/connected-go/gen"
)

// completionBase is where a questionnaire is filled in. The .invalid TLD
// never resolves, so a test can never reach a real form by accident.
const completionBase = "https://forms.dronline.invalid/q/"

func (c *credential) renderQuestionnaire(a *appointment) gen.Questionnaire {
	return gen.Questionnaire{
		ID: a.questionnaireID, Object: gen.QuestionnaireObjectQuestionnaire, AppointmentID: a.id,
		CompletionURL: completionBase + a.questionnaireID,
		Status:        gen.QuestionnaireStatusPending,
	}
}

func (h *handlers) GetAppointmentQuestionnaire(ctx context.Context, req gen.GetAppointmentQuestionnaireRequestObject) (gen.GetAppointmentQuestionnaireResponseObject, error) {
	c := credentialFrom(ctx)
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	a, err := c.appointment(req.AppointmentID)
	if err != nil {
		return nil, err
	}
	if a.questionnaireID == "" {
		return nil, invalidRequest(http.StatusNotFound, gen.ErrorCodeQuestionnaireNotRequired, "appointment_id",
			"This appointment's type requires no questionnaire.")
	}
	return gen.GetAppointmentQuestionnaire200JSONResponse{
		Headers: gen.GetAppointmentQuestionnaire200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    c.renderQuestionnaire(a),
	}, nil
}

func (h *handlers) GetQuestionnaire(ctx context.Context, req gen.GetQuestionnaireRequestObject) (gen.GetQuestionnaireResponseObject, error) {
	c := credentialFrom(ctx)
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	aptID, ok := c.questionnaires[req.QuestionnaireID]
	if !ok {
		return nil, errNotFound("questionnaire_id", "questionnaire", req.QuestionnaireID)
	}
	return gen.GetQuestionnaire200JSONResponse{
		Headers: gen.GetQuestionnaire200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    c.renderQuestionnaire(c.appointments.byID[aptID]),
	}, nil
}
