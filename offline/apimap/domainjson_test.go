package apimap_test

import (
	"testing"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/order"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/storedvalue"
)

// orderOfTransaction is how a transaction's order event reached the
// server before the contract had an order type of its own.
type orderOfTransaction struct {
	Status     string       `json:"status"`
	OrderEvent *order.Event `json:"order_event"`
}

// TestTheDomainsJSON holds the JSON the domain's types had on the wire
// before the contract got types of its own (captured before the change):
// the goldens the mappers must produce. The domain's own JSON stays the
// same too, since the till and the server keep it in their databases.
func TestTheDomainsJSON(t *testing.T) {
	unsigned, signed := journalEntries()
	ev := fullOrderEvent()
	tests := []struct {
		name string
		v    any
	}{
		{"product", fullProduct()},
		{"product_zero", catalog.Product{}},
		{"role", fullRole()},
		{"role_zero", staff.Role{}},
		{"role_empty", staff.Role{Permissions: []staff.Permission{}}},
		{"operator", fullOperator()},
		{"operator_zero", staff.Operator{}},
		{"setup", fullSetup()},
		{"setup_zero", pos.Setup{}},
		{"setup_empty", emptySetup()},
		{"setup_demo", demo.Setup()},
		{"order", fullOrder()},
		{"order_zero", order.Order{}},
		{"order_empty", order.Order{Lines: []order.Line{}, Applied: []string{}}},
		{"order_event", ev},
		{"order_event_zero", order.Event{}},
		{"order_event_empty", order.Event{Order: &order.Order{}, Change: &order.Change{Lines: []int{}}, Lines: []order.EventLine{}}},
		{"order_of_transaction", orderOfTransaction{Status: "completed", OrderEvent: &ev}},
		{"customer", apimap.CustomerOf(fullCustomer())},
		{"stock_doc", apimap.StockDocOf(fullDoc())},
		{"stock_doc_post", apimap.StockDocPostOf(fullDocPost())},
		{"stock_adjustment", apimap.StockAdjustmentOf(fullAdjustment())},
		{"stock_count", apimap.StockCountOf(fullCount())},
		{"stock_count_lines", apimap.CountLinesOf(fullCountLines())},
		{"journal_entry_unsigned", apimap.JournalEntryOf(unsigned)},
		{"journal_entry_signed", apimap.JournalEntryOf(signed)},
		{"value_balance", api.ValueBalance{Kind: string(storedvalue.GiftCard), Number: "GC-0042", Amount: 2500, AsOf: t0.Truncate(time.Second),
			Counted: map[string]int64{"S0001/T01": 3}, Overdrawn: true, Limit: 50000, Held: 600}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { golden(t, tc.name, marshal(t, tc.v)) })
	}
}
