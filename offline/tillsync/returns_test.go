package tillsync_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

// onlineRegister is a register of till tl that asks the store server for
// other tills' sales, online while net is on.
func onlineRegister(t *testing.T, tl *till, now *time.Time, net *switchable, anyStore bool) *pos.Register {
	t.Helper()
	setup, err := tl.St.LoadSetup(ctx)
	require.NoError(t, err)
	setup.ReturnsAnyStore = anyStore
	r := pos.NewRegister(setup, tl.St, pos.Options{Now: func() time.Time { return *now }, Connectivity: net, Sales: tl.Eng, History: tl.Eng})
	_, err = r.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	require.NoError(t, err)
	if _, err = r.Do(ctx, pos.OpenShift{StartAmount: 10000}); err != nil {
		require.Equal(t, poserr.Conflict, poserr.KindOf(err), "%v", err) // open already: the register works in it
	}
	return r
}

// TestReturnAcrossTills: three milks sold at till 1 come back at till 2 of
// the same store, online: two there, then one at till 1 — and a fourth is
// refused at either till, since the server counts what each returned. A
// till of another store finds the receipt only when its store allows
// returns from any store; offline, till 2 cannot find till 1's sale and
// says why.
func TestReturnAcrossTills(t *testing.T) {
	s := startServer(t, 50)
	a := newTill(t, s, "T01", s.URL)
	b := newTill(t, s, "T02", s.URL)
	n := sisterTill(t, s)
	pass(t, a, b, n)
	now := time.Now().UTC()
	net := &switchable{}
	net.on.Store(true)
	ra, rb := onlineRegister(t, a, &now, net, false), onlineRegister(t, b, &now, net, false)
	_, err := ra.Do(ctx, pos.ProductSale{Barcode: milkCode, Qty: 3 * catalog.One})
	require.NoError(t, err)
	done, err := ra.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	receipt := done.Completed.ReceiptNo
	pass(t, a)

	res, err := rb.Do(ctx, pos.ReturnTransaction{ReceiptNo: receipt, Lines: []pos.ReturnLine{{LineNo: 1, Qty: 2 * catalog.One}}})
	require.NoError(t, err, "till 2 finds till 1's sale through the server")
	assert.Equal(t, catalog.One, res.Returnable[1])
	_, err = rb.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	pass(t, b)

	res, err = ra.Do(ctx, pos.ReturnTransaction{ReceiptNo: receipt, Lines: []pos.ReturnLine{{LineNo: 1, Qty: 2 * catalog.One}}})
	require.Error(t, err, "till 1 knows till 2 took two back")
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err))
	_, err = ra.Do(ctx, pos.ReturnTransaction{ReceiptNo: receipt})
	require.NoError(t, err, "the last one")
	_, err = ra.Do(ctx, pos.PayCashExact{})
	require.NoError(t, err)
	pass(t, a)
	_, err = rb.Do(ctx, pos.ReturnTransaction{ReceiptNo: receipt})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "nothing left, at till 2 either")

	rn := onlineRegister(t, n, &now, net, false)
	_, err = rn.Do(ctx, pos.ReturnTransaction{ReceiptNo: receipt})
	assert.Equal(t, poserr.NotFound, poserr.KindOf(err), "another store's sale, not allowed by its setting")
	rn2 := onlineRegister(t, n, &now, net, true)
	_, err = rn2.Do(ctx, pos.ReturnTransaction{ReceiptNo: receipt})
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "allowed: found, and everything is back already")

	net.on.Store(false)
	_, err = rb.Do(ctx, pos.VoidTransaction{})
	_ = err
	_, err = rb.Do(ctx, pos.ReturnTransaction{ReceiptNo: receipt})
	assert.Equal(t, poserr.NotFound, poserr.KindOf(err), "offline: only till 2's own sales")
}
