// Package memstore is an in-memory pos.Store: the same observable behaviour
// as the SQLite store in offline/store (receipt numbers, hash-chained
// journal, returns, suspended carts, shifts and Z reports, the same errors),
// without a file. Tests and demos run the register on it; the conformance
// suite in pos/storetest keeps the two stores in step.
//
// Nothing survives the process and there is no outbox (nothing syncs from
// it): use offline/store where durability matters.
package memstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/customer"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/storedvalue"
)

// Store is an in-memory store of one till. It is safe for concurrent use;
// every change is all-or-nothing.
type Store struct {
	// FailCommit, when set, makes every Commit fail with a storage error
	// wrapping it, as a full disk would: nothing is stored and no receipt
	// number is used up. Set it between calls (it is read under the
	// store's lock).
	FailCommit error

	mu        sync.RWMutex
	closed    bool
	setup     *pos.Setup
	products  map[string]*product // by product ID
	rid       int64               // last product row number
	barcodes  map[string]string   // normalised barcode → product ID
	roles     map[string]staff.Role
	operators map[string]staff.Operator
	pepper    staff.Pepper      // the store's PIN pepper (SetPINPepper); nil: none
	receipts  map[string]int64  // terminal → last receipt number used
	txns      map[string]*txn   // by transaction ID
	byReceipt map[string]string // receipt number → transaction ID
	// returned is, per original transaction ID and line number, the quantity
	// returned by completed transactions.
	returned  map[string]map[int]catalog.Qty
	suspended map[string]*suspended
	journal   []journal.Entry
	shifts    map[string]*shiftRow
	customers map[string]customer.Customer   // by ID
	extras    map[string][]byte              // transaction ID → its receipt's extension lines (JSON)
	custNo    int64                          // last customer number used
	stock     *stock                         // the stock book (stock.go)
	orders    map[string]*order.Order        // customer orders with their events applied (orders.go)
	histories map[string]pos.CustomerHistory // the server's last history of each customer (history.go)
	values    []cart.ValueMove               // gift card and memo movements, oldest first (value.go)
	known     map[string]storedvalue.Known   // the server's last balance of each number
	offline   []pos.OfflineCard              // card payments taken offline, oldest first (offlinecards.go)
}

var _ pos.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		products:  map[string]*product{},
		barcodes:  map[string]string{},
		roles:     map[string]staff.Role{},
		operators: map[string]staff.Operator{},
		receipts:  map[string]int64{},
		txns:      map[string]*txn{},
		byReceipt: map[string]string{},
		returned:  map[string]map[int]catalog.Qty{},
		suspended: map[string]*suspended{},
		shifts:    map[string]*shiftRow{},
		customers: map[string]customer.Customer{},
	}
}

// errClosed is the cause of every failure after Close.
var errClosed = errors.New("the in-memory store is closed")

// Close closes the store: every later call fails with a storage error, as
// with a closed SQLite store. Closing twice is harmless.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// usable reports why the store cannot serve a call: it is closed or ctx is
// done. The caller holds the lock.
func (s *Store) usable(ctx context.Context) error {
	if s.closed {
		return errClosed
	}
	return ctx.Err()
}

// SaveSetup stores the till configuration; receipt numbers are built from
// its store and terminal IDs (as in offline/store), not from the cart's.
func (s *Store) SaveSetup(ctx context.Context, setup pos.Setup) error {
	if setup.StoreID == "" || setup.TerminalID == "" {
		return poserr.E(poserr.Invalid, "error.storage.setup_ids", "the setup needs a store ID and a terminal ID")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "saving the till setup")
	}
	s.setup = &setup
	return nil
}

// LoadSetup returns the saved configuration; a store with none gives an
// error of kind poserr.NotFound.
func (s *Store) LoadSetup(ctx context.Context) (pos.Setup, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return pos.Setup{}, readErr(err, "reading the till setup")
	}
	if s.setup == nil {
		return pos.Setup{}, poserr.E(poserr.NotFound, "error.storage.no_setup",
			"the till has no setup yet: save one with SaveSetup")
	}
	return *s.setup, nil
}

// storageErr and readErr are the domain's wrappers for failed changes and reads.
var (
	storageErr = poserr.StorageFailed
	readErr    = poserr.ReadFailed
)

// notFound builds a miss the way offline/store reports it.
func notFound(key, arg, value, format string) error {
	return &poserr.Error{Kind: poserr.NotFound, Key: key, Msg: fmt.Sprintf(format, value), Args: map[string]any{arg: value}}
}

// timeFormat is offline/store's fixed-width UTC form that sorts as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

// decode unmarshals a stored JSON copy: every read hands out a fresh value,
// exactly as a row read back from SQLite would be.
func decode[T any](b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}
