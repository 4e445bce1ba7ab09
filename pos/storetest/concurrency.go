package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/shift"
)

func testConcurrency(t *testing.T, open Open) {
	t.Run("parallel commits get distinct receipt numbers", func(t *testing.T) {
		st := open(t, Default(t))
		const workers, each = 8, 5
		var wg sync.WaitGroup
		receipts := make(chan string, workers*each)
		errs := make(chan error, workers*each*2)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					c := sale(fmt.Sprintf("txn-%d-%d", w, i), line(1, "10001", 1, 129))
					if err := st.Commit(ctx, c, saleEntry()); err != nil {
						errs <- err
						continue
					}
					receipts <- c.ReceiptNo
					// Reads run beside the writes.
					if _, err := st.ByBarcode(ctx, "4006381333931"); err != nil {
						errs <- err
					}
					if _, _, err := st.Transaction(ctx, c.ReceiptNo); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(receipts)
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got := map[string]bool{}
		for no := range receipts {
			assert.False(t, got[no], "receipt number %s given twice", no)
			got[no] = true
		}
		want := map[string]bool{}
		for n := 1; n <= workers*each; n++ {
			want[receipt(n)] = true
		}
		assert.Equal(t, want, got, "the numbers are 1…n without a gap")
		es := journalOf(t, st)
		assert.Len(t, es, workers*each)
		txns := map[string]bool{}
		for _, e := range es {
			txns[e.TxnID] = true
		}
		assert.Len(t, txns, workers*each, "one journal entry per transaction")
	})
	t.Run("parallel opens on one terminal: one wins", func(t *testing.T) {
		st := open(t, Default(t))
		const n = 6
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sh := newShift(fmt.Sprintf("shift-%d", i), TerminalID, t0)
				errs[i] = st.OpenShift(ctx, sh, journal.Entry{Time: t0, Kind: journal.ShiftOpen, Operator: Manager})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
				continue
			}
			requireKind(t, err, poserr.Conflict)
		}
		assert.Equal(t, 1, won)
		list, err := st.Shifts(ctx, shift.Open)
		require.NoError(t, err)
		assert.Len(t, list, 1)
		assert.Len(t, journalOf(t, st), 1, "only the winner journaled")
	})
}
