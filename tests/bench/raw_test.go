package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/google/uuid"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/gen"
)

// rawClient is what a partner would write without the SDK: net/http and
// encoding/json, no retries, no validation. It decodes into the same
// generated types as the SDK, so the comparison measures the call path and
// not two different structs.
type rawClient struct {
	hc   *http.Client
	base string // e.g. http://127.0.0.1:1234/v1
	key  string
}

func (c *rawClient) do(req *http.Request, out any) error {
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	// Drain what the decoder left (a trailing newline, say) so the
	// connection goes back to the pool.
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func (c *rawClient) getAppointment(ctx context.Context, id string) (*gen.Appointment, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/connected/appointments/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	var a gen.Appointment
	if err := c.do(req, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

func (c *rawClient) confirm(ctx context.Context, id, holdToken string, p *connected.ConfirmParams) (*gen.Appointment, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/connected/appointments/"+url.PathEscape(id)+"/confirm", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", uuid.NewString())
	req.Header.Set("X-Appointment-Hold-Token", holdToken)
	var a gen.Appointment
	if err := c.do(req, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// listPage is one page of the appointment list, as the raw loop decodes it.
type listPage struct {
	Data    []gen.Appointment `json:"data"`
	HasMore bool              `json:"has_more"`
}

// eachAppointment is the hand-written page loop: fetch a page of limit,
// visit its items, follow starting_after with the last id while has_more.
// visit is called once per page with the page's items.
func (c *rawClient) eachAppointment(ctx context.Context, limit int, visit func([]gen.Appointment)) error {
	after := ""
	for {
		u := fmt.Sprintf("%s/connected/appointments?limit=%d", c.base, limit)
		if after != "" {
			u += "&starting_after=" + url.QueryEscape(after)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		var page listPage
		if err := c.do(req, &page); err != nil {
			return err
		}
		visit(page.Data)
		if !page.HasMore || len(page.Data) == 0 {
			return nil
		}
		after = page.Data[len(page.Data)-1].ID
	}
}
