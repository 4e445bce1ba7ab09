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
