package scaleunit

import (
	"context"
	"errors"
	"fmt"
	"github.com/opentill/opentill/offline/api"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/staff"
)

// Demo chain identity: the demo store of offline/demo and a sister store.
const (
	SisterStoreID   = "S0002"
	SisterStoreName = "OpenTill Demo Market Nord"
)

// DemoTills are the tills Seed creates in the demo store.
var DemoTills = []string{"T01", "T02", "T03"}

// DemoCode is the fixed one-time activation code of a demo till that an
// embedded scale unit re-issues on every start (e.g. "DEMO-T01").
func DemoCode(terminalID string) string { return "DEMO-" + terminalID }

// seedBatch is how many products Seed stores per transaction.
const seedBatch = 10_000

// Seed fills an empty storage with the demo chain: the demo store (the
// setup, staff and n products of offline/demo, so a seeded till and the
// server agree) and a sister store, tills T01–T03 in the demo store and T01
// in the sister store, and stock of the featured products in both stores.
// progress, if not nil, is called with products stored so far.
func Seed(ctx context.Context, st Storage, n int, progress func(done, total int)) error {
	setup := demo.Setup()
	if err := st.PutStore(ctx, StoreInfo{ID: demo.StoreID, Name: demo.StoreName}, setup); err != nil {
		return fmt.Errorf("seeding store %s: %w", demo.StoreID, err)
	}
	if err := st.PutStore(ctx, StoreInfo{ID: SisterStoreID, Name: SisterStoreName}, setup); err != nil {
		return fmt.Errorf("seeding store %s: %w", SisterStoreID, err)
	}
	for _, id := range []string{demo.StoreID, SisterStoreID} {
		if err := st.PutDocument(ctx, id, api.DocPromotions, demo.Promotions()); err != nil {
			return fmt.Errorf("seeding store %s's promotions: %w", id, err)
		}
	}
	for _, t := range DemoTills {
		if _, err := st.PutTill(ctx, demo.StoreID, t); err != nil {
			return err
		}
	}
	if _, err := st.PutTill(ctx, SisterStoreID, "T01"); err != nil {
		return err
	}
	roles, ops := demo.Staff()
	for _, r := range roles {
		if err := st.PutRole(ctx, r); err != nil {
			return err
		}
	}
	for _, o := range ops {
		// Sealed under the chain's PIN key like any PIN set at the server;
		// cheap parameters, as the till's own demo seed uses (the demo PINs
		// are public, and every test seeds a chain).
		if err := st.PutOperatorPIN(ctx, o.Operator, o.PIN, staff.FastParams); err != nil {
			return fmt.Errorf("seeding operator %s: %w", o.ID, err)
		}
	}
	for _, b := range demo.Images() {
		if _, err := st.PutImage(ctx, b); err != nil {
			return fmt.Errorf("seeding the product pictures: %w", err)
		}
	}
	next := demo.Products(n, demo.DefaultSeed)
	batch := make([]catalog.Product, 0, seedBatch)
	done := 0
	flush := func() error {
		if err := st.PutProducts(ctx, batch); err != nil {
			return fmt.Errorf("seeding products (%d stored): %w", done, err)
		}
		done += len(batch)
		batch = batch[:0]
		if progress != nil {
			progress(done, n)
		}
		return nil
	}
	for {
		p, ok := next()
		if !ok {
			break
		}
		batch = append(batch, p)
		if len(batch) == seedBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	next2 := demo.Customers(demo.AccountCustomers, demo.DefaultSeed)
	for {
		c, ok := next2()
		if !ok {
			break
		}
		if err := st.SetCreditLimit(ctx, c.Number, demo.CreditLimit); err != nil {
			return fmt.Errorf("seeding the credit limit of %s: %w", c.Number, err)
		}
	}
	for i, p := range demo.Featured {
		if err := st.SetStock(ctx, demo.StoreID, p.ID, int64(10+i)*1000); err != nil {
			return err
		}
		if err := st.SetStock(ctx, SisterStoreID, p.ID, int64(3*i)*1000); err != nil {
			return err
		}
	}
	return nil
}

// EmbeddedProducts is how many demo products an embedded scale unit seeds.
const EmbeddedProducts = 5000

// StartEmbedded starts a scale unit on a free loopback port with its data in
// dir (seeding the demo chain with EmbeddedProducts products on first start)
// and re-issues the demo activation codes (DemoCode) of tills that are not
// active. It returns the base URL (http://127.0.0.1:PORT) and a function
// that shuts the server down gracefully and closes its storage.
func StartEmbedded(dir string) (url string, stop func(), err error) {
	return StartEmbeddedLog(dir, nil)
}

// StartEmbeddedLog is StartEmbedded with a logger (nil discards the logs).
func StartEmbeddedLog(dir string, log *slog.Logger) (url string, stop func(), err error) {
	ctx := context.Background()
	_, statErr := os.Stat(filepath.Join(dir, DBFile))
	// The PIN key beside the database, whatever $SCALEUNIT_PIN_KEY says: the
	// embedded demo chain is not the chain a real server's key is for.
	st, err := OpenWith(ctx, dir, Options{PINKeyFile: filepath.Join(dir, PINKeyFile)})
	if err != nil {
		return "", nil, err
	}
	if _, err := st.PINKeyID(ctx); err != nil {
		return "", nil, errors.Join(err, st.Close())
	}
	if os.IsNotExist(statErr) {
		if err := Seed(ctx, st, EmbeddedProducts, nil); err != nil {
			return "", nil, errors.Join(err, st.Close())
		}
	}
	tills, err := st.Tills(ctx)
	if err != nil {
		return "", nil, errors.Join(err, st.Close())
	}
	for _, t := range tills {
		if !t.Active && t.StoreID == demo.StoreID {
			if err := IssueFixedCode(ctx, st, t.ID, DemoCode(t.TerminalID), 365*24*time.Hour); err != nil {
				return "", nil, errors.Join(err, st.Close())
			}
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, errors.Join(fmt.Errorf("listening on loopback for the embedded scale unit: %w", err), st.Close())
	}
	srv := New(st, log)
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The till sees a server that stopped serving as unreachable and
		// keeps selling offline; the log says why.
		if err := srv.Serve(sctx, ln, "", ""); err != nil && log != nil {
			log.Error("the embedded scale unit stopped serving", "error", err)
		}
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
			// Every change was committed with synchronous=FULL; a failed
			// close loses nothing but is worth a line in the log.
			if err := st.Close(); err != nil && log != nil {
				log.Warn("closing the embedded scale unit's database", "error", err)
			}
		})
	}
	return "http://" + ln.Addr().String(), stop, nil
}
