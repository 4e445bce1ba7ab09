package paysim

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/tender"
)

func TestOutcomes(t *testing.T) {
	ctx := context.Background()
	term := New()
	term.Timeout = 10 * time.Millisecond
	term.Queue(Decline, Timeout)
	req := tender.Request{Amount: 1000, Currency: money.EUR}
	_, err := term.Authorize(ctx, req)
	assert.True(t, poserr.Is(err, poserr.Device))
	assert.Contains(t, err.Error(), "declined")
	_, err = term.Authorize(ctx, req)
	assert.Contains(t, err.Error(), "did not answer")
	ap, err := term.Authorize(ctx, req)
	require.NoError(t, err)
	assert.Regexp(t, `^\*{12}\d{4}$`, ap.MaskedPAN)
	require.NoError(t, term.Void(ctx, ap.Reference))
	assert.True(t, term.Voided(ap.Reference))
}

func TestSameReferenceSameApproval(t *testing.T) {
	term := New()
	req := tender.Request{Amount: 500, Reference: "txn-1"}
	a, err := term.Authorize(context.Background(), req)
	require.NoError(t, err)
	b, err := term.Authorize(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, a, b)
}

func TestCaptureAndCancel(t *testing.T) {
	ctx := context.Background()
	term := New()
	ap, err := term.Authorize(ctx, tender.Request{Amount: 2500, Currency: money.EUR, Reference: "txn-2/1"})
	require.NoError(t, err)
	got, err := term.Capture(ctx, ap.Reference, 2400)
	require.NoError(t, err)
	assert.Equal(t, ap.MaskedPAN, got.MaskedPAN)
	_, err = term.Capture(ctx, "SIM-NOPE", 100)
	assert.True(t, poserr.Is(err, poserr.NotFound))
	require.NoError(t, term.Void(ctx, ap.Reference))
	_, err = term.Capture(ctx, ap.Reference, 2400)
	assert.True(t, poserr.Is(err, poserr.Conflict))

	term.Delay = 5 * time.Second
	go func() {
		time.Sleep(50 * time.Millisecond)
		_ = term.Cancel(ctx)
	}()
	start := time.Now()
	_, err = term.Authorize(ctx, tender.Request{Amount: 100})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cancelled")
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestFailVoidsAndVoidCount(t *testing.T) {
	ctx := context.Background()
	term := New()
	ap, err := term.Authorize(ctx, tender.Request{Amount: 700, Currency: money.EUR, Reference: "txn-3/1"})
	require.NoError(t, err)
	term.FailVoids(2)
	for i := 0; i < 2; i++ {
		err := term.Void(ctx, ap.Reference)
		assert.True(t, poserr.Is(err, poserr.Device), "void %d fails", i+1)
		assert.False(t, term.Voided(ap.Reference))
	}
	assert.Zero(t, term.VoidCount(ap.Reference))
	require.NoError(t, term.Void(ctx, ap.Reference))
	assert.True(t, term.Voided(ap.Reference))
	assert.Equal(t, 1, term.VoidCount(ap.Reference))
}
