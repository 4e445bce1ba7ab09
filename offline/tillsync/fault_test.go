package tillsync_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/tillsync"
)

// TestExactlyOnceThroughFaultyNetwork sells while a proxy drops connections,
// answers 5xx, replies slowly (beyond the client's timeout, so the server
// commits what the till never hears of) and loses replies after the server
// committed. After the faults stop, the server has exactly the till's
// transactions and the outbox is empty.
func TestExactlyOnceThroughFaultyNetwork(t *testing.T) {
	tests := []struct {
		name  string
		rate  float64
		sales int
	}{
		{"30% faults", 0.3, 120},
		{"70% faults", 0.7, 80},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, 100)
			proxy := startProxy(t, s.URL, tc.rate, 400*time.Millisecond)
			tl := newTill(t, s, "T01", proxy.URL)
			opt := fastOptions()
			opt.Client.Timeout = 250 * time.Millisecond
			require.NoError(t, tl.Eng.Close())
			eng, err := tillsync.Open(tl.Dir, tl.St, opt)
			require.NoError(t, err)
			tl.Eng = eng
			// The till needs its setup before it can sell: pull through the faults.
			require.Eventually(t, func() bool { return eng.Pass(ctx) == nil }, 30*time.Second, 10*time.Millisecond)
			eng.Start()

			// Sell until enough sales and enough faults on uploads of each
			// kind happened (or 30 s passed).
			var ids []string
			enough := func() bool {
				for f := 0; f < faultDelay; f++ {
					if proxy.putFault[f].Load() < 3 {
						return false
					}
				}
				return len(ids) >= tc.sales
			}
			deadline := time.Now().Add(30 * time.Second)
			for i := 0; !enough() && time.Now().Before(deadline); i++ {
				ids = append(ids, sell(t, tl.St, 1)...)
				eng.PendingChanged()
				if i == tc.sales/2 {
					p := demo.Featured[1]
					require.NoError(t, s.St.SetPrices(ctx, []api.PriceChange{{ProductID: p.ID, Price: int64(p.Price) + 5}}))
				}
				time.Sleep(5 * time.Millisecond)
			}
			proxy.enabled.Store(false)
			eng.SyncNow()
			require.Eventually(t, func() bool {
				st := eng.Status()
				return st.Pending == 0 && st.State == tillsync.Online && !st.Syncing
			}, 60*time.Second, 20*time.Millisecond, "the outbox drains once the faults stop")
			require.NoError(t, eng.Close())

			got := uploadedIDs(t, s.St)
			assert.Len(t, got, len(ids), "no loss, no duplicate")
			assert.ElementsMatch(t, ids, got)
			pending, total, err := tl.St.OutboxCount(ctx)
			require.NoError(t, err)
			assert.Zero(t, pending)
			assert.EqualValues(t, len(ids), total)
			p, err := tl.St.ByID(ctx, demo.Featured[1].ID)
			require.NoError(t, err)
			assert.Equal(t, demo.Featured[1].Price+5, p.Price, "the price change came through the faults")

			t.Logf("requests: %d; faults injected: %d (on uploads: %s %d, %s %d, %s %d, %s %d); in all: %s %d, %s %d, %s %d, %s %d; plus %d slow-but-in-time replies; "+
				"transactions sold: %d; upload attempts %d; upload requests that reached the server: %d; transactions on the server: %d",
				proxy.requests.Load(), proxy.Faults(),
				faultNames[faultDrop], proxy.putFault[faultDrop].Load(), faultNames[faultStatus], proxy.putFault[faultStatus].Load(),
				faultNames[faultSlow], proxy.putFault[faultSlow].Load(), faultNames[faultLostReply], proxy.putFault[faultLostReply].Load(), faultNames[faultDrop], proxy.counts[faultDrop].Load(), faultNames[faultStatus], proxy.counts[faultStatus].Load(),
				faultNames[faultSlow], proxy.counts[faultSlow].Load(), faultNames[faultLostReply], proxy.counts[faultLostReply].Load(),
				proxy.counts[faultDelay].Load(), len(ids), proxy.puts.Load(), proxy.uploads.Load(), len(got))
			assert.Zero(t, proxy.badKeys.Load(), "every attempt, retries included, carries the client ID as Idempotency-Key")
			assert.Greater(t, proxy.puts.Load(), int64(len(ids)), "uploads were retried")
			assert.Positive(t, proxy.putFault[faultLostReply].Load(), "upload replies were lost after the server committed")
			assert.Greater(t, proxy.uploads.Load(), int64(len(ids)), "some uploads reached the server more than once")
		})
	}
}
