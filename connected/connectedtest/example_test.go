package connectedtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/dronline/connected-go/connected/connectedtest"
)

func ExampleNewServer() {
	srv := connectedtest.NewServer(connectedtest.WithStartTime(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)))
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/connected/slots?limit=1&practitioner_id=prac_ahmed", nil)
	req.Header.Set("Authorization", "Bearer "+srv.APIKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = resp.Body.Close() }()
	var page struct {
		Data []struct {
			ID    string `json:"id"`
			Start string `json:"start"`
		} `json:"data"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&page)
	fmt.Println(resp.StatusCode, page.Data[0].ID, page.Data[0].Start)
	// Output: 200 slot_aptype_gp15.prac_ahmed.1795424400 2026-11-23T09:00:00Z
}
