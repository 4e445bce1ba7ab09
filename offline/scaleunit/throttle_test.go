package scaleunit_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
)

// An address that keeps guessing activation codes is throttled after
// ActivationBurst failures (429 with Retry-After); another address is not,
// and its good code activates.
func TestFailedActivationsAreThrottled(t *testing.T) {
	st, _ := sutest.Open(t, "sqlite")
	require.NoError(t, scaleunit.Seed(ctx, st, 5, nil))
	h := scaleunit.New(st, nil).Handler()
	activate := func(from, code string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/v1/activate", strings.NewReader(`{"code":"`+code+`","device_name":"x"}`))
		req.RemoteAddr = from + ":51234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for i := 0; i < scaleunit.ActivationBurst; i++ {
		assert.Equal(t, http.StatusUnauthorized, activate("192.0.2.7", "GUESS-GUESS-0000").Code, "guess %d", i+1)
	}
	rec := activate("192.0.2.7", "GUESS-GUESS-0001")
	assert.Equal(t, http.StatusTooManyRequests, rec.Code)
	assert.Contains(t, rec.Body.String(), "throttled")
	assert.NotEmpty(t, rec.Header().Get("Retry-After"))

	till, err := st.PutTill(ctx, demo.StoreID, "T09")
	require.NoError(t, err)
	code, err := scaleunit.IssueActivationCode(ctx, st, till.ID, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, activate("192.0.2.7", code).Code, "the guessing address waits, even with a good code")
	assert.Equal(t, http.StatusOK, activate("198.51.100.3", code).Code, "another address is not held up")
}
