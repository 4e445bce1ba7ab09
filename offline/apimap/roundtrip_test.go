package apimap_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/staff"
)

// roundTrip is one mapped value: its domain form, the golden its wire form
// must marshal to, and what the domain gets back from that JSON.
type roundTrip struct {
	name string
	// check marshals the wire form of the value, decodes the JSON into
	// the wire type and maps it back; it returns the JSON, the value
	// mapped back and (where the domain's type was on the wire itself)
	// the domain's own decoding of the JSON.
	check func(t *testing.T) (wire []byte, back, old any)
	want  any
}

// lossless builds the round trip of a domain type that travelled as
// itself: back and the domain's own decoding must both equal d.
func lossless[D, W any](name string, d D, of func(D) W, from func(W) D) roundTrip {
	return roundTrip{name: name, want: d, check: func(t *testing.T) ([]byte, any, any) {
		b, err := json.Marshal(of(d))
		require.NoError(t, err)
		var w W
		require.NoError(t, json.Unmarshal(b, &w))
		var old D
		require.NoError(t, json.Unmarshal(b, &old))
		return b, from(w), old
	}}
}

// decodes builds the round trip of a value with empty collections the
// JSON leaves out (omitempty): what comes back is what the domain's own
// decoding makes of the JSON.
func decodes[D, W any](name string, d D, of func(D) W, from func(W) D) roundTrip {
	rt := lossless(name, d, of, from)
	rt.want = nil
	return rt
}

// lossy builds the round trip of a value whose wire form carries part of
// it (want): the rest stays the receiver's.
func lossy[D, W any](name string, d D, of func(D) W, from func(W) D, want D) roundTrip {
	return roundTrip{name: name, want: want, check: func(t *testing.T) ([]byte, any, any) {
		b, err := json.Marshal(of(d))
		require.NoError(t, err)
		var w W
		require.NoError(t, json.Unmarshal(b, &w))
		return b, from(w), nil
	}}
}

// upload builds the check of a value that only travels to the server.
func upload[D, W any](name string, d D, of func(D) W) roundTrip {
	return roundTrip{name: name, check: func(t *testing.T) ([]byte, any, any) {
		b, err := json.Marshal(of(d))
		require.NoError(t, err)
		return b, nil, nil
	}}
}

func roundTrips() []roundTrip {
	unsigned, signed := journalEntries()
	signedBack := signed
	signedBack.Payload, signedBack.PayloadSHA256 = nil, signed.PayloadDigest()
	c := fullCustomer()
	cBack := c
	cBack.Version = 0 // each copy counts its own saves
	doc := fullDoc()
	doc.Draft = true // the till's own mark
	docBack := doc
	docBack.Draft = false
	count := fullCount()
	return []roundTrip{
		lossless("product", fullProduct(), apimap.ProductOf, apimap.ProductFrom),
		lossless("product_zero", catalog.Product{}, apimap.ProductOf, apimap.ProductFrom),
		lossless("role", fullRole(), apimap.RoleOf, apimap.RoleFrom),
		lossless("role_zero", staff.Role{}, apimap.RoleOf, apimap.RoleFrom),
		lossless("role_empty", staff.Role{Permissions: []staff.Permission{}}, apimap.RoleOf, apimap.RoleFrom),
		lossless("operator", fullOperator(), apimap.OperatorOf, apimap.OperatorFrom),
		lossless("operator_zero", staff.Operator{}, apimap.OperatorOf, apimap.OperatorFrom),
		lossless("setup", fullSetup(), apimap.SetupOf, apimap.SetupFrom),
		lossless("setup_zero", pos.Setup{}, apimap.SetupOf, apimap.SetupFrom),
		decodes("setup_empty", emptySetup(), apimap.SetupOf, apimap.SetupFrom),
		lossless("setup_demo", demo.Setup(), apimap.SetupOf, apimap.SetupFrom),
		lossless("order", fullOrder(), apimap.OrderOf, apimap.OrderFrom),
		lossless("order_zero", order.Order{}, apimap.OrderOf, apimap.OrderFrom),
		decodes("order_empty", order.Order{Lines: []order.Line{}, Applied: []string{}}, apimap.OrderOf, apimap.OrderFrom),
		lossless("order_event", fullOrderEvent(), apimap.OrderEventOf, apimap.OrderEventFrom),
		lossless("order_event_zero", order.Event{}, apimap.OrderEventOf, apimap.OrderEventFrom),
		decodes("order_event_empty", order.Event{Order: &order.Order{}, Change: &order.Change{Lines: []int{}}, Lines: []order.EventLine{}},
			apimap.OrderEventOf, apimap.OrderEventFrom),
		lossy("customer", c, apimap.CustomerOf, apimap.CustomerFrom, cBack),
		lossy("stock_doc", doc, apimap.StockDocOf, apimap.StockDocFrom, docBack),
		lossy("stock_count", count, apimap.StockCountOf, func(w api.StockCount) inventory.Count { return apimap.StockCountFrom(w, count.StoreID) }, count),
		lossy("stock_doc_post", fullDocPost(), apimap.StockDocPostOf, apimap.StockDocPostFrom, fullDocPost()),
		lossy("journal_entry_unsigned", unsigned, apimap.JournalEntryOf, apimap.JournalEntryFrom, unsigned),
		lossy("journal_entry_signed", signed, apimap.JournalEntryOf, apimap.JournalEntryFrom, signedBack),
		upload("stock_adjustment", fullAdjustment(), apimap.StockAdjustmentOf),
		upload("stock_count_lines", fullCountLines(), apimap.CountLinesOf),
	}
}

// TestRoundTrip maps each value to the wire and back: its JSON is the
// golden captured from the domain's own (byte for byte), and the JSON
// decoded into the wire type and mapped back is the value again, as the
// domain's own decoding of it is.
func TestRoundTrip(t *testing.T) {
	for _, tc := range roundTrips() {
		t.Run(tc.name, func(t *testing.T) {
			b, back, old := tc.check(t)
			golden(t, tc.name, b)
			if tc.want != nil {
				assert.Equal(t, tc.want, back, "domain → wire → JSON → wire → domain")
			}
			if old != nil {
				assert.Equal(t, old, back, "the wire type decodes as the domain's type did")
			}
		})
	}
}

// TestOrderOfTransaction: the server reads a transaction's order event
// as it read the domain's.
func TestOrderOfTransaction(t *testing.T) {
	ev := fullOrderEvent()
	w := apimap.OrderEventOf(ev)
	b := marshal(t, api.OrderOfTransaction{Status: "completed", OrderEvent: &w})
	golden(t, "order_of_transaction", b)
	var back api.OrderOfTransaction
	require.NoError(t, json.Unmarshal(b, &back))
	require.NotNil(t, back.OrderEvent)
	assert.Equal(t, ev, apimap.OrderEventFrom(*back.OrderEvent))
}

// TestJournalEntryWire: an entry keeps its hash through its upload form;
// a signed one travels without its payload, an unsigned one with it.
func TestJournalEntryWire(t *testing.T) {
	unsigned, signed := journalEntries()
	for _, e := range []journal.Entry{unsigned, signed} {
		b := marshal(t, apimap.JournalEntryOf(e))
		var back api.JournalEntry
		require.NoError(t, json.Unmarshal(b, &back))
		got := apimap.JournalEntryFrom(back)
		assert.Equal(t, e.Hash, got.Sum(), "the hash is recomputed from the upload")
		assert.Equal(t, e.Signed(), len(back.Payload) == 0, "only an unsigned entry carries its payload")
	}
	var v journal.Verifier
	k, err := journalKey()
	require.NoError(t, err)
	v.Key = k.Public()
	require.NoError(t, v.Add(apimap.JournalEntryFrom(apimap.JournalEntryOf(unsigned))))
	require.NoError(t, v.Add(apimap.JournalEntryFrom(apimap.JournalEntryOf(signed))))
	assert.True(t, api.ValidClientID(api.JournalBatchID(k.ID(), 1, 500)))
	assert.True(t, api.ValidClientID(api.JournalBatchID("", 1, 2)))
	assert.Equal(t, signed.Head(), apimap.JournalHeadFrom(api.JournalHead{KeyID: k.ID(), Seq: signed.Seq, Hash: signed.Hash, Counter: signed.Counter}))
	assert.Equal(t, journal.Head{Seq: 4, Hash: "h"}, apimap.JournalHeadFrom(api.JournalHead{KeyID: k.ID(), Seq: 4, Hash: "h"}),
		"a head before the first signed entry names no key")
}

// TestStockLevelFrom: a stock figure of the feed is the store's level.
func TestStockLevelFrom(t *testing.T) {
	f := api.StockFigure{ProductID: "10000", OnHand: 12000, Reserved: 2000, OnOrder: 5000, InTransit: 1000, AsOf: t0, BaseAt: t1, Counted: map[string]int64{"S0001/T01": 4}}
	assert.Equal(t, inventory.Level{StoreID: "S0001", StoreName: "Demo", ProductID: "10000", OnHand: 12000, Reserved: 2000, OnOrder: 5000, InTransit: 1000, AsOf: t0},
		apimap.StockLevelFrom(f, "S0001", "Demo"))
}

// TestWireNamesAreTheDomains: the contract's names of kinds and statuses
// are the domain's.
func TestWireNamesAreTheDomains(t *testing.T) {
	assert.Equal(t, string(inventory.PurchaseOrder), api.StockDocPurchase)
	assert.Equal(t, string(inventory.TransferOrder), api.StockDocTransfer)
	assert.Equal(t, string(inventory.Receiving), api.StockPostReceipt)
	assert.Equal(t, string(inventory.Shipping), api.StockPostShipment)
	assert.Equal(t, string(inventory.Open), api.CountOpen)
	assert.Equal(t, string(inventory.Posted), api.CountPosted)
}
