package till_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/till"
)

// fakeTransactions holds completed sales by receipt number.
type fakeTransactions map[string]till.Past

func (f fakeTransactions) Transaction(_ context.Context, no string) (*cart.Cart, map[int]catalog.Qty, error) {
	p, ok := f[no]
	if !ok {
		return nil, nil, poserr.E(poserr.NotFound, "error.txn.not_found", "no transaction has receipt number %s", no)
	}
	return p.Cart, p.Returned, nil
}

func (f fakeTransactions) FindTransactions(_ context.Context, q pos.TxnQuery) ([]pos.TxnSummary, error) {
	var out []pos.TxnSummary
	for no, p := range f {
		s := pos.TxnSummary{ID: p.Cart.ID, ReceiptNo: no, Operator: p.Cart.Operator, Finished: p.Cart.Finished,
			Status: p.Cart.Status, Total: p.Cart.Totals.Total, Lines: len(p.Cart.Active())}
		if q.Matches(s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// The journal screen's search goes to the store.
func TestHistory(t *testing.T) {
	svc := till.New(&fakeTill{&fakeRegister{}, &fakeShifts{}}, till.Options{Transactions: fakeTransactions{
		"R1": {Cart: &cart.Cart{ID: "a", Operator: "1001", Status: cart.Completed}},
		"R2": {Cart: &cart.Cart{ID: "b", Operator: "2001", Status: cart.Completed}},
	}})
	got, err := svc.History(context.Background(), pos.TxnQuery{Operator: "2001"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "R2", got[0].ReceiptNo)
	_, err = till.New(&fakeTill{&fakeRegister{}, &fakeShifts{}}, till.Options{}).History(context.Background(), pos.TxnQuery{})
	assert.Error(t, err, "a till with no store says it cannot look transactions up")
}

func TestTransactionAndWhatIsLeftToReturn(t *testing.T) {
	sale := &cart.Cart{ReceiptNo: "R1", Lines: []cart.Line{
		{No: 1, Name: "Milk", Qty: 3 * catalog.One},
		{No: 2, Name: "Butter", Qty: catalog.One, Voided: true},
		{No: 3, Name: "Gift card", Qty: catalog.One, Flags: catalog.Flags{NotReturnable: true}},
		{No: 4, Name: "Bread", Qty: catalog.One},
		{No: 5, Name: "Bananas", Qty: 734},
		{No: 6, Name: "Returned cheese", Qty: -catalog.One},
	}}
	svc := till.New(&fakeTill{&fakeRegister{}, &fakeShifts{}}, till.Options{Transactions: fakeTransactions{
		"R1": {Cart: sale, Returned: map[int]catalog.Qty{1: catalog.One, 4: catalog.One}},
	}})

	past, err := svc.Transaction(context.Background(), "R1")
	require.NoError(t, err)
	assert.Same(t, sale, past.Cart)
	left := past.Returnable()
	require.Len(t, left, 2, "not the voided, the non-returnable, the fully returned nor the return line")
	assert.Equal(t, "Milk", left[0].Line.Name)
	assert.Equal(t, 2*catalog.One, left[0].Left)
	assert.Equal(t, "Bananas", left[1].Line.Name)
	assert.Equal(t, catalog.Qty(734), left[1].Left)

	_, err = svc.Transaction(context.Background(), "R2")
	assert.True(t, poserr.Is(err, poserr.NotFound), "a miss is the store's: %v", err)

	_, err = till.New(&fakeTill{&fakeRegister{}, &fakeShifts{}}, till.Options{}).Transaction(context.Background(), "R1")
	require.Error(t, err, "without a store nothing is found")
	var pe *poserr.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "error.txn.no_lookup", pe.Key)
}
