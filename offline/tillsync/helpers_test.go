package tillsync_test

import (
	"context"
	"log/slog"
	"net"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/offline/scaleunit/sutest"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
)

func TestMain(m *testing.M) { sutest.Main(m) }

var ctx = context.Background()

// server is a real scale unit on a loopback port, on the storage backend
// of this run (sutest.Backend: make test runs the package on each).
type server struct {
	URL  string
	Dir  string // data folder or PostgreSQL URL
	St   *scaleunit.DB
	stop func()
}

// startServer seeds a scale unit with n demo products and serves it on
// loopback until the test ends.
func startServer(t testing.TB, n int) *server {
	t.Helper()
	dir := sutest.Where(t, sutest.Backend())
	st, err := scaleunit.Open(ctx, dir)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(ctx, st, n, nil))
	return serve(t, dir, st)
}

func serve(t testing.TB, dir string, st *scaleunit.DB) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var log *slog.Logger
	if os.Getenv("SCALEUNIT_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv := scaleunit.New(st, log)
	c, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(c, ln, "", "") }()
	s := &server{URL: "http://" + ln.Addr().String(), Dir: dir, St: st}
	s.stop = func() { cancel(); <-done }
	t.Cleanup(func() { s.stop(); st.Close() })
	return s
}

// code issues a one-time activation code for a till of the demo store.
func (s *server) code(t testing.TB, terminal string) string {
	t.Helper()
	till, err := s.St.PutTill(ctx, demo.StoreID, terminal)
	require.NoError(t, err)
	code, err := scaleunit.IssueActivationCode(ctx, s.St, till.ID, time.Hour)
	require.NoError(t, err)
	return code
}

// till is a till's data folder with its store and sync engine.
type till struct {
	Dir string
	St  *store.Store
	Eng *tillsync.Engine
}

// newTill activates a fresh till against url (for terminal) and opens its
// engine with fast retries.
func newTill(t testing.TB, s *server, terminal string, url string) *till {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(dir)
	require.NoError(t, err)
	_, err = tillsync.Activate(ctx, st, s.URL, s.code(t, terminal), "test "+terminal)
	require.NoError(t, err)
	if url != s.URL {
		cfg, err := tillsync.LoadConfig(ctx, st)
		require.NoError(t, err)
		cfg.URL = url
		require.NoError(t, st.PutSetting(ctx, tillsync.SettingKey, cfg))
	}
	eng, err := tillsync.Open(dir, st, fastOptions())
	require.NoError(t, err)
	tl := &till{Dir: dir, St: st, Eng: eng}
	t.Cleanup(func() { eng.Close(); st.Close() })
	return tl
}

func fastOptions() tillsync.Options {
	return tillsync.Options{Interval: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
		Client: tillsync.ClientOptions{Timeout: 2 * time.Second, RetryWait: 10 * time.Millisecond, RetryMaxWait: 50 * time.Millisecond}}
}

var t0 = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// sell commits n sales of one featured product each and returns their IDs.
func sell(t testing.TB, st *store.Store, n int) []string {
	t.Helper()
	setup, err := st.LoadSetup(ctx)
	require.NoError(t, err)
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		p := demo.Featured[i%len(demo.Featured)]
		live, err := st.ByID(ctx, p.ID)
		require.NoError(t, err)
		c := &cart.Cart{
			ID: uuid.Must(uuid.NewV7()).String(), Store: setup.StoreID, Terminal: setup.TerminalID, Operator: "1001",
			Currency: money.EUR, Status: cart.Completed, Started: t0, Finished: t0.Add(time.Minute),
		}
		c.Lines = []cart.Line{{No: 1, ProductID: live.ID, ItemID: live.ItemID, Name: live.Name, Unit: live.Unit,
			UnitDecimals: live.UnitDecimals(), Qty: catalog.One, UnitPrice: live.Price, OriginalPrice: live.Price,
			TaxGroup: live.TaxGroup, Flags: live.Flags}}
		if live.Flags.Weighed {
			c.Lines[0].Qty = 500
		}
		require.NoError(t, c.Reprice(setup.Pricing()))
		c.Tenders = []cart.Tender{{No: 1, TypeID: demo.TenderCard, Name: "Card", Kind: cart.Card, Amount: c.Totals.Total}}
		require.NoError(t, c.Reprice(setup.Pricing()))
		require.NoError(t, st.Commit(ctx, c, journal.Entry{Time: t0, Kind: journal.Sale, Operator: "1001"}))
		ids = append(ids, c.ID)
	}
	return ids
}

// uploadedIDs lists the transaction IDs the server holds, in arrival order.
func uploadedIDs(t testing.TB, st scaleunit.Storage) []string {
	t.Helper()
	ups, err := st.Uploads(ctx, "transaction")
	require.NoError(t, err)
	out := make([]string, len(ups))
	for i, u := range ups {
		out[i] = u.ID
	}
	return out
}

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

// mustProduct returns a product the server holds, as the feed sends it.
func mustProduct(t testing.TB, s *server, id string) catalog.Product {
	t.Helper()
	page, err := s.St.Feed(ctx, demo.StoreID, "products", 0, 100000, false)
	require.NoError(t, err)
	for _, c := range page.Changes {
		if c.Key == id && c.Product != nil {
			return apimap.ProductFrom(*c.Product)
		}
	}
	t.Fatalf("the server has no product %s", id)
	return catalog.Product{}
}
