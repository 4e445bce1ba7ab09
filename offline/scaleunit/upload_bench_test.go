package scaleunit_test

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"sort"
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
)

// BenchmarkUploads100Tills: 100 simulated tills upload completed sales
// over HTTP at once, into one server process on SQLite and into two server
// instances (each with its own connection pool, as two processes have)
// on one PostgreSQL database. Every fifth sale moves loyalty points (the
// ledger and the loyalty feed). Reports tx/s and the p50/p99 of an upload.
// For durable figures on PostgreSQL run with PGTEST_FSYNC=1 (the test
// cluster otherwise runs with fsync off).
func BenchmarkUploads100Tills(b *testing.B) {
	for _, c := range []struct {
		backend string
		procs   int
	}{{"sqlite", 1}, {"postgres", 2}} {
		b.Run(fmt.Sprintf("%s-%dproc", c.backend, c.procs), func(b *testing.B) { benchUploads(b, c.backend, c.procs) })
	}
}

func benchUploads(b *testing.B, backend string, procs int) {
	const tills = 100
	st, where := sutest.Open(b, backend)
	require.NoError(b, scaleunit.Seed(ctx, st, 10, nil))
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
		till, err := st.PutTill(ctx, demo.StoreID, fmt.Sprintf("B%03d", i))
		require.NoError(b, err)
		code, err := scaleunit.IssueActivationCode(ctx, st, till.ID, time.Hour)
		require.NoError(b, err)
		tokens[i] = uuid.NewString()
		_, err = st.Activate(ctx, scaleunit.HashCode(code), scaleunit.HashSecret(tokens[i]), "bench", nil, "")
		require.NoError(b, err)
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
				loyalty := ""
				if n%5 == 0 {
					loyalty = fmt.Sprintf(`,"loyalty":{"card":"C%04d","earned":12,"redeemed":0}`, n%500)
				}
				body := fmt.Sprintf(`{"id":%q,"status":"completed","store":%q,"terminal":"B%03d","receipt_no":"B%03d-%d","finished":%q,`+
					`"lines":[{"product":"10001","qty":1000,"amount":199},{"product":"10002","qty":2000,"amount":598}],"total":797,`+
					`"tenders":[{"type":"cash","amount":797}]%s}`, id, demo.StoreID, i, i, n, time.Now().UTC().Format(time.RFC3339Nano), loyalty)
				req, err := http.NewRequest(http.MethodPut, url+api.PathUploads+api.KindTransaction+"/"+id, bytes.NewBufferString(body))
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
