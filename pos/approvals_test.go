package pos_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
)

// A manager's override travels inside what it approved: the transaction
// (a price override approved for a cashier, beside a void the cashier may
// do alone) names the manager, in the store and in the journaled payload
// the server receives; a refused approval leaves nothing behind.
func TestApprovalsTravelWithWhatTheyApproved(t *testing.T) {
	for name, build := range map[string]func(*testing.T, bool) *till{"memory": newTill, "sqlite": newSQLiteTill} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			tl := build(t, true)
			tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
			tl.do(t, pos.ProductSale{Barcode: bcWine})
			tl.do(t, pos.ProductSale{Barcode: bcMilk})
			mgr := func(op pos.Operation) pos.Operation { return pos.Approved{Op: op, ManagerID: "2001", Secret: "2468"} }
			_, err := tl.Do(ctx, pos.Approved{Op: pos.PriceOverride{Line: 1, Price: 799}, ManagerID: "2001", Secret: "wrong"})
			require.Error(t, err)
			assert.Empty(t, tl.Cart().Approvals, "a refused approval leaves nothing")
			tl.do(t, mgr(pos.PriceOverride{Line: 1, Price: 799}))
			tl.do(t, pos.VoidLine{Line: 2})
			done := tl.do(t, pos.PayCash{Amount: 1000}).Completed
			require.Len(t, done.Approvals, 1)
			a := done.Approvals[0]
			assert.Equal(t, int(pos.OpPriceOverride), a.Op)
			assert.Equal(t, "1001", a.Operator)
			assert.Equal(t, "2001", a.Approver)
			assert.Equal(t, money.Amount(799), done.Totals.Total)

			stored, _, err := tl.store.Transaction(ctx, done.ReceiptNo)
			require.NoError(t, err)
			require.Len(t, stored.Approvals, 1, "stored and uploaded with the transaction")
			var sale journal.Entry
			require.NoError(t, tl.store.JournalEach(ctx, func(e journal.Entry) error {
				if e.Kind == journal.Sale {
					sale = e
				}
				return nil
			}))
			var payload struct {
				Approvals []struct{ Approver string } `json:"approvals"`
			}
			require.NoError(t, json.Unmarshal(sale.Payload, &payload))
			require.Len(t, payload.Approvals, 1)
			assert.Equal(t, "2001", payload.Approvals[0].Approver, "inside the journaled transaction too")
		})
	}
}
