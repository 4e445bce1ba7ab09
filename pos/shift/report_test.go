package shift

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/tender"
)

var tenders = []tender.Type{{ID: "cash", Name: "Cash", Kind: cart.Cash}, {ID: "card", Name: "Card", Kind: cart.Card}}

type log struct {
	t   *testing.T
	es  []journal.Entry
	now time.Time
}

func (l *log) add(kind journal.Kind, payload any) {
	b, err := json.Marshal(payload)
	require.NoError(l.t, err)
	l.now = l.now.Add(time.Minute)
	e := journal.Entry{Time: l.now, Kind: kind, Payload: b}
	prev, seq := "", int64(0)
	if n := len(l.es); n > 0 {
		prev, seq = l.es[n-1].Hash, l.es[n-1].Seq
	}
	journal.Seal(&e, seq, prev)
	l.es = append(l.es, e)
}

func sale(shift string, status cart.Status, qty int64, net money.Amount, tenders []cart.Tender, change money.Amount, at time.Time) *cart.Cart {
	return &cart.Cart{Shift: shift, Status: status, Lines: []cart.Line{{No: 1, Qty: 0, Net: net}}, Tenders: tenders, Change: change,
		Totals: cart.Totals{Total: net, Tax: net / 10}, Finished: at}
}

func TestBuild(t *testing.T) {
	l := &log{t: t, now: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
	l.add(journal.SignIn, map[string]string{})
	l.add(journal.ShiftOpen, Event{Shift: "A", Operator: "1", Start: &Movement{Shift: "A", Kind: StartAmount, Tender: "cash", Amount: 5000}})
	c := sale("A", cart.Completed, 1, 1000, []cart.Tender{{TypeID: "cash", Kind: cart.Cash, Amount: 2000}}, 1000, l.now)
	c.Lines[0].Qty = 1000
	l.add(journal.Sale, c)
	r := sale("A", cart.Completed, -1, -300, []cart.Tender{{TypeID: "card", Kind: cart.Card, Amount: -300}}, 0, l.now.Add(time.Hour))
	r.Lines[0].Qty = -1000
	l.add(journal.Sale, r)
	other := sale("B", cart.Completed, 1, 999, []cart.Tender{{TypeID: "cash", Kind: cart.Cash, Amount: 999}}, 0, l.now)
	other.Lines[0].Qty = 1000
	l.add(journal.Sale, other)
	l.add(journal.Void, sale("A", cart.Voided, 1, 0, nil, 0, l.now))
	l.add(journal.Suspend, sale("A", cart.Suspended, 1, 0, nil, 0, l.now))
	l.add(journal.CashMovement, Movement{Shift: "A", Kind: StartAmount, Amount: 6000, Operator: "1"}) // replaces 50.00
	l.add(journal.CashMovement, Movement{Shift: "A", Kind: FloatEntry, Amount: 1000, Operator: "2"})
	l.add(journal.CashMovement, Movement{Shift: "B", Kind: FloatEntry, Amount: 777})
	l.add(journal.CashMovement, Movement{Shift: "A", Kind: Income, Account: "L", Amount: 200})
	l.add(journal.CashMovement, Movement{Shift: "A", Kind: Expense, Account: "P", Amount: 100})
	l.add(journal.CashMovement, Movement{Shift: "A", Kind: SafeDrop, Amount: 3000})
	l.add(journal.CashMovement, Movement{Shift: "A", Kind: BankDrop, Amount: 1000, Bag: "X"})
	l.add(journal.CashMovement, Movement{Shift: "A", Kind: Removal, Amount: 500})
	l.add(journal.CashMovement, Movement{Shift: "A", Kind: NoSale})
	l.add(journal.CashMovement, Movement{Shift: "A", Kind: Declaration, Tender: "cash", Amount: 1})
	l.add(journal.CashMovement, Movement{Shift: "A", Kind: Declaration, Tender: "cash", Amount: 3590}) // recount replaces
	l.add(journal.ShiftClose, Event{Shift: "A", Voided: []string{"s1"}})
	require.NoError(t, journal.Verify(l.es))

	sh := Shift{ID: "A", StartSeq: 2, Currency: money.EUR}
	z, err := Build(Z, sh, l.es, tenders, nil)
	require.NoError(t, err)
	cash, card := z.Tender("cash"), z.Tender("card")
	tests := []struct {
		name      string
		got, want any
	}{
		{"sales", z.Sales, money.Amount(1000)},
		{"returns", z.Returns, money.Amount(300)},
		{"net", z.NetSales, money.Amount(700)},
		{"tax", z.Tax, money.Amount(70)},
		{"customers", z.CustomerCount, 2},
		{"sale count", z.SaleCount, 1},
		{"return count", z.ReturnCount, 1},
		{"voids incl. voided at close", z.VoidCount, 2},
		{"suspended", z.SuspendedCount, 1},
		{"no-sales", z.NoSaleCount, 1},
		{"start replaced", cash.Start, money.Amount(6000)},
		{"float of this shift only", cash.Float, money.Amount(1000)},
		{"tendered", cash.Tendered, money.Amount(2000)},
		{"change", cash.Change, money.Amount(1000)},
		{"expected", cash.Expected, money.Amount(6000 + 1000 + 2000 - 1000 + 200 - 100 - 3000 - 1000 - 500)},
		{"declared replaced", cash.Declared, money.Amount(3590)},
		{"over/short", cash.OverShort, money.Amount(3590 - 3600)},
		{"card refund", card.Tendered, money.Amount(-300)},
		{"card not declared", card.HasCount, false},
		{"undeclared", z.Undeclared(), []string(nil)},
		{"operators", z.Operators, []string{"1", "2"}},
		{"hours", len(z.ByHour), 2},
		{"accounts", len(z.Accounts), 2},
		{"income first", z.Accounts[0].Kind, IncomeAccount},
		{"closed at", z.At, l.es[len(l.es)-1].Time},
		{"journal head at the close", z.Journal, l.es[len(l.es)-1].Head()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, tt.got) })
	}

	x, err := Build(X, Shift{ID: "B", StartSeq: 1}, l.es, tenders, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"cash"}, x.Undeclared())
	assert.Equal(t, money.Amount(999+777), x.Tender("cash").Expected)
	assert.Zero(t, x.Journal, "only a Z report carries the head")

	bad := append([]journal.Entry(nil), l.es...)
	bad[2].Payload = json.RawMessage(`{`)
	_, err = Build(Z, sh, bad, tenders, nil)
	assert.Error(t, err)
}

func TestTotal(t *testing.T) {
	assert.Equal(t, money.Amount(8717), Total([]Count{{5000, 1}, {2000, 1}, {1000, 1}, {500, 1}, {100, 2}, {10, 1}, {5, 1}, {2, 1}}))
	assert.Zero(t, Total(nil))
}
