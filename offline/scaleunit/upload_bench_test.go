package scaleunit_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// BenchmarkUploads100Tills: 100 simulated tills upload completed sales
// (a till's cart as it commits it: two lines, a card and a cash tender, its
// totals and tax summary) over HTTP at once, into one server process on SQLite and into two server
// instances (each with its own connection pool, as two processes have)
// on one PostgreSQL database. Every fifth sale moves loyalty points (the
// ledger and the loyalty feed). Reports tx/s and the p50/p99 of an upload.
// The tills are those of a chain, 5 to a store over 20 stores, each sale of
// two of ten products (stores=20); stores=1 puts all 100 in one store, every
// sale booking the same store's figures (the hardest case for the row
// locks). For durable figures on PostgreSQL run with PGTEST_FSYNC=1 (the
// test cluster otherwise runs with fsync off).
func BenchmarkUploads100Tills(b *testing.B) {
	for _, c := range []struct {
		backend       string
		procs, stores int
	}{{"sqlite", 1, 20}, {"postgres", 2, 20}, {"sqlite", 1, 1}, {"postgres", 2, 1}} {
		b.Run(fmt.Sprintf("%s-%dproc/stores=%d", c.backend, c.procs, c.stores), func(b *testing.B) { benchUploads(b, c.backend, c.procs, c.stores) })
	}
}

func benchUploads(b *testing.B, backend string, procs, stores int) {
	const tills = 100
	st, where := sutest.Open(b, backend)
	require.NoError(b, scaleunit.Seed(ctx, st, 40, nil))
	storeOf := make([]string, tills)
	for i := range storeOf {
		storeOf[i] = demo.StoreID
		if stores > 1 {
			storeOf[i] = fmt.Sprintf("B%02d", i%stores)
		}
	}
	for i := 0; i < stores && stores > 1; i++ {
		require.NoError(b, st.PutStore(ctx, scaleunit.StoreInfo{ID: fmt.Sprintf("B%02d", i), Name: fmt.Sprintf("Bench %d", i)}, demo.Setup()))
	}
	urls := make([]string, procs)
	for i := range urls {
		s := st
		if i > 0 {
			var err error
			s, err = scaleunit.Open(ctx, where)
			require.NoError(b, err)
			b.Cleanup(func() { s.Close() })
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(b, err)
		srv := &http.Server{Handler: scaleunit.New(s, nil).Handler()}
		go srv.Serve(ln) //nolint:errcheck // ends with Close below
		b.Cleanup(func() { srv.Close() })
		urls[i] = "http://" + ln.Addr().String()
	}
	tokens := make([]string, tills)
	for i := range tokens {
		till, err := st.PutTill(ctx, storeOf[i], fmt.Sprintf("B%03d", i))
		require.NoError(b, err)
		code, err := scaleunit.IssueActivationCode(ctx, st, till.ID, time.Hour)
		require.NoError(b, err)
		tokens[i] = uuid.NewString()
		_, err = st.Activate(ctx, scaleunit.HashCode(code), scaleunit.HashSecret(tokens[i]), "bench", nil, "")
		require.NoError(b, err)
	}
	var sales, loyals []string
	for k := 0; k < 5; k++ {
		sales, loyals = append(sales, benchSale(b, "", k)), append(loyals, benchSale(b, "C0000", k))
	}
	cl := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: tills}}
	var next atomic.Int64
	lat := make([][]time.Duration, tills)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < tills; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			url := urls[i%procs]
			for {
				n := next.Add(1)
				if n > int64(b.N) {
					return
				}
				id := uuid.NewString()
				k := int(n/5) % len(sales) // which two products
				tpl := sales[k]
				if n%5 == 0 {
					tpl = strings.Replace(loyals[k], `"card":"C0000"`, fmt.Sprintf(`"card":"C%04d"`, n%500), 1)
				}
				body := strings.NewReplacer(benchID, id, `"B000"`, fmt.Sprintf(`"B%03d"`, i), benchReceipt, fmt.Sprintf("B%03d-%d", i, n),
					benchTime, time.Now().UTC().Format(time.RFC3339Nano), `"store":"`+demo.StoreID+`"`, `"store":"`+storeOf[i]+`"`).Replace(tpl)
				req, err := http.NewRequest(http.MethodPut, url+api.PathUploads+api.KindTransaction+"/"+id, strings.NewReader(body))
				if err != nil {
					b.Error(err)
					return
				}
				req.Header.Set("Authorization", "Bearer "+tokens[i])
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := cl.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				resp.Body.Close()
				lat[i] = append(lat[i], time.Since(t0))
				if resp.StatusCode != http.StatusOK {
					b.Errorf("upload %s: HTTP %d", id, resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "tx/s")
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// benchLines is the lines of a sale.
var benchLines = 2

// Placeholders of benchSale's JSON that each upload replaces.
const (
	benchID      = "01a21bcd-0000-7000-8000-000000000000"
	benchReceipt = "B000-0"
	benchTime    = "2026-12-03T10:00:00Z"
)

// benchSale is a completed sale at till B000 as the till commits it (a
// cart.Cart priced by the demo store's rules) of the k-th pair of featured
// products, with a loyalty card when card is not "".
func benchSale(b *testing.B, card string, k int) string {
	b.Helper()
	at, err := time.Parse(time.RFC3339, benchTime)
	require.NoError(b, err)
	setup := demo.Setup()
	c := &cart.Cart{ID: benchID, ReceiptNo: benchReceipt, Store: demo.StoreID, Terminal: "B000", Operator: "1001",
		Currency: money.EUR, Status: cart.Completed, Started: at, Finished: at}
	for i, p := range demo.Featured[k*benchLines : (k+1)*benchLines] {
		c.Lines = append(c.Lines, cart.Line{No: i + 1, ProductID: p.ID, ItemID: p.ItemID, Name: p.Name, Unit: p.Unit,
			UnitDecimals: p.UnitDecimals(), Qty: catalog.Qty(1000 * (i + 1)), UnitPrice: p.Price, OriginalPrice: p.Price,
			TaxGroup: p.TaxGroup, Flags: p.Flags})
	}
	if card != "" {
		c.Loyalty = &cart.Loyalty{Card: card, Earned: 12}
	}
	require.NoError(b, c.Reprice(setup.Pricing()))
	c.Tenders = []cart.Tender{
		{No: 1, TypeID: demo.TenderCard, Name: "Card", Kind: cart.Card, Amount: c.Totals.Total - 500,
			Card: &cart.CardInfo{MaskedPAN: "************4242", Brand: "VISA", AuthCode: "123456", Reference: "R1"}},
		{No: 2, TypeID: demo.TenderCash, Name: "Cash", Kind: cart.Cash, Amount: 500},
	}
	require.NoError(b, c.Reprice(setup.Pricing()))
	out, err := json.Marshal(c)
	require.NoError(b, err)
	return string(out)
}
