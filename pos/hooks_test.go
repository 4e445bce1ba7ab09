package pos_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/prompt"
)

// extensionEntries returns the payloads of the journal's extension entries.
func extensionEntries(t *testing.T, tl *till) []map[string]any {
	t.Helper()
	var out []map[string]any
	require.NoError(t, tl.store.JournalEach(context.Background(), func(e journal.Entry) error {
		if e.Kind == journal.Extension {
			var m map[string]any
			require.NoError(t, json.Unmarshal(e.Payload, &m))
			out = append(out, m)
		}
		return nil
	}))
	return out
}

// hung stands for a call that never returns: it blocks until the test
// ends.
func hung(t *testing.T) func(context.Context) error {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	return func(context.Context) error { <-stop; return nil }
}

func TestAFailingHookIsContainedPerItsPolicy(t *testing.T) {
	for name, tc := range map[string]struct {
		pre       func(ctx context.Context) error
		policy    pos.FailPolicy
		cancelled bool
		isolated  bool // only an isolated hook can be left behind
	}{
		"panic, continue":          {pre: func(context.Context) error { panic("bug") }},
		"panic, cancel":            {pre: func(context.Context) error { panic("bug") }, policy: pos.FailCancel, cancelled: true},
		"overrun, continue":        {pre: func(ctx context.Context) error { <-ctx.Done(); return nil }},
		"late answer, continue":    {pre: func(ctx context.Context) error { <-ctx.Done(); return pos.Refuse(prompt.Text{"en": "too late"}) }},
		"overrun, cancel":          {pre: func(ctx context.Context) error { time.Sleep(100 * time.Millisecond); return nil }, policy: pos.FailCancel, cancelled: true},
		"error, cancel":            {pre: func(context.Context) error { return errors.New("disk gone") }, policy: pos.FailCancel, cancelled: true},
		"never returns, continue":  {pre: hung(t), isolated: true},
		"never returns, cancel":    {pre: hung(t), policy: pos.FailCancel, cancelled: true, isolated: true},
		"isolated panic, continue": {pre: func(context.Context) error { panic("bug") }, isolated: true},
		"isolated overrun, cancel": {pre: func(ctx context.Context) error { time.Sleep(100 * time.Millisecond); return nil }, policy: pos.FailCancel, cancelled: true, isolated: true},
	} {
		t.Run(name, func(t *testing.T) {
			tl := newTill(t, true)
			reg := pos.NewRegister(testSetup(true), tl.store, pos.Options{TriggerTimeout: 30 * time.Millisecond})
			tl.Register = reg
			var calls atomic.Int32
			require.NoError(t, reg.AddHook(pos.Hook{Extension: "acme.flaky", Ops: []pos.OpID{pos.OpProductSale}, Policy: tc.policy, Isolated: tc.isolated,
				Pre: func(ctx context.Context, op pos.Operation, _ pos.View) error {
					calls.Add(1)
					if op.(pos.ProductSale).Barcode != bcMilk {
						return nil
					}
					return tc.pre(ctx)
				}}))
			var failed []pos.Event
			sub := reg.Watch(func(e pos.Event) {
				if e.Type == pos.ExtensionFailed {
					failed = append(failed, e)
				}
			})
			tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
			tl.do(t, pos.ProductSale{Barcode: bcWine})
			began := time.Now()
			_, err := reg.Do(context.Background(), pos.ProductSale{Barcode: bcMilk})
			if tc.isolated {
				assert.Less(t, time.Since(began), 90*time.Millisecond, "an isolated hook is waited for no longer than its deadline")
			}
			if tc.cancelled {
				require.Error(t, err)
				assert.Equal(t, poserr.Cancelled, poserr.KindOf(err))
				assert.Len(t, reg.Cart().Lines, 1, "the lines sold before stay")
			} else {
				require.NoError(t, err)
				assert.Len(t, reg.Cart().Lines, 2)
			}
			calls.Store(0)
			tl.do(t, pos.ProductSale{Barcode: bcMilk})
			assert.Zero(t, calls.Load(), "a failed extension is switched off for the session")
			assert.Contains(t, reg.Disabled(), "acme.flaky")
			res := tl.do(t, pos.PayCashExact{})
			require.NotNil(t, res.Completed, "the sale completes")
			sub.Flush()
			require.Len(t, failed, 1)
			assert.Equal(t, "acme.flaky", failed[0].Extension)
			assert.True(t, failed[0].Disabled)
			entries := extensionEntries(t, tl)
			require.Len(t, entries, 1)
			assert.Equal(t, "disabled", entries[0]["event"])
			assert.Equal(t, tc.policy.String(), entries[0]["policy"])
		})
	}
}

func TestAHookAsksTheOperatorAndTheAnswerIsJournaled(t *testing.T) {
	tl := newTill(t, true)
	panel := prompt.Panel{ID: "age", Title: prompt.Text{"en": "Over 18?"}, Buttons: []prompt.Button{{ID: "yes", Label: prompt.Text{"en": "Yes"}}, {ID: "no", Label: prompt.Text{"en": "No"}, Cancel: true}}}
	require.NoError(t, tl.AddHook(pos.Hook{Extension: "acme.age", Ops: []pos.OpID{pos.OpProductSale},
		Pre: func(_ context.Context, op pos.Operation, v pos.View) error {
			switch v.Answers.Button() {
			case "yes":
				return nil
			case "no":
				return pos.Refuse(prompt.Text{"en": "Not sold: under 18", "de": "Nicht verkauft: unter 18"})
			}
			return pos.AskOperator(panel)
		}}))
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	sale := pos.ProductSale{Barcode: bcWine}
	err := tl.fail(t, sale)
	require.ErrorIs(t, err, pos.ErrNeedsAnswer)
	var q *pos.Question
	require.ErrorAs(t, err, &q)
	assert.Equal(t, "acme.age", q.Panel.Extension)
	assert.Nil(t, tl.Cart(), "nothing sold before the answer")

	err = tl.fail(t, pos.Answered{Op: sale, Extension: "acme.age", Answers: prompt.Answers{"button": "maybe"}})
	assert.Equal(t, poserr.Invalid, poserr.KindOf(err), "an answer the panel does not offer")

	err = tl.fail(t, pos.Answered{Op: sale, Extension: "acme.age", Answers: prompt.Answers{"button": "no"}})
	var ref *pos.Refusal
	require.ErrorAs(t, err, &ref)
	assert.Equal(t, "Nicht verkauft: unter 18", ref.Localized("de"))
	assert.Equal(t, poserr.Cancelled, poserr.KindOf(err))

	res := tl.do(t, pos.Answered{Op: sale, Extension: "acme.age", Answers: prompt.Answers{"button": "yes"}})
	require.Len(t, res.Cart.Lines, 1)
	entries := extensionEntries(t, tl)
	require.Len(t, entries, 2)
	assert.Equal(t, "refused", entries[0]["verdict"])
	assert.Equal(t, "accepted", entries[1]["verdict"])
	assert.Equal(t, "age", entries[1]["panel"])
}

func TestAPostHookActsThroughOperations(t *testing.T) {
	tl := newTill(t, true)
	require.NoError(t, tl.AddHook(pos.Hook{Extension: "acme.deposit", Ops: []pos.OpID{pos.OpProductSale},
		Post: func(_ context.Context, op pos.Operation, res pos.Result, err error, v pos.View) ([]pos.Operation, error) {
			if err != nil || op.(pos.ProductSale).Barcode != bcWine {
				return nil, nil
			}
			return []pos.Operation{pos.ProductSale{Barcode: bcMilk}, pos.PriceOverride{Line: 1, Price: 1}}, nil
		}}))
	var refused []error
	sub := tl.Watch(func(e pos.Event) {
		if e.Type == pos.ExtensionFailed {
			refused = append(refused, e.Err)
		}
	})
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	res := tl.do(t, pos.ProductSale{Barcode: bcWine})
	require.Len(t, res.Cart.Lines, 2, "the result shows the line the extension added")
	assert.Equal(t, "10001", res.Cart.Lines[1].ProductID)
	sub.Flush()
	require.Len(t, refused, 1, "the cashier may not override prices, and neither may the extension")
	assert.Equal(t, poserr.NotPermitted, poserr.KindOf(refused[0]))
	assert.Empty(t, tl.Disabled(), "a refused operation does not switch the extension off")
}

func TestReceiptFieldsPrintAndAFailingOneIsLeftOut(t *testing.T) {
	for name, open := range map[string]func(*testing.T, bool) *till{"memory": newTill, "sqlite": newSQLiteTill} {
		t.Run(name, func(t *testing.T) { testReceiptFields(t, open(t, true)) })
	}
}

func testReceiptFields(t *testing.T, tl *till) {
	stamps := 3
	require.NoError(t, tl.AddReceiptFields(pos.Hook{Extension: "acme.stamps"}, func(_ context.Context, c *cart.Cart, _ pos.View) (pos.ReceiptLines, error) {
		return pos.ReceiptLines{Header: []string{"Stamp card"}, Lines: map[int][]string{1: {"+1 stamp"}}, Footer: []string{fmt.Sprintf("Stamps: %d/10", stamps)}}, nil
	}))
	require.NoError(t, tl.AddReceiptFields(pos.Hook{Extension: "acme.broken"}, func(context.Context, *cart.Cart, pos.View) (pos.ReceiptLines, error) { panic("bug") }))
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcMilk})
	res := tl.do(t, pos.PayCashExact{})
	text := res.Receipt.Text(42)
	assert.Contains(t, text, "Stamp card")
	assert.Contains(t, text, "+1 stamp")
	assert.Contains(t, text, "Stamps: 3/10")
	assert.Contains(t, tl.Disabled(), "acme.broken")
	assert.Equal(t, "S1-T1-000001", res.Completed.ReceiptNo)

	// A reprint shows the lines the receipt had, not today's.
	stamps = 4
	tl.do(t, pos.SignOut{})
	tl.do(t, pos.SignIn{OperatorID: "2001", Secret: "2468"}) // a manager reprints
	again := tl.do(t, pos.ReprintReceipt{ReceiptNo: res.Completed.ReceiptNo})
	copyText := again.Receipt.Text(42)
	assert.Contains(t, copyText, "Stamp card")
	assert.Contains(t, copyText, "+1 stamp")
	assert.Contains(t, copyText, "Stamps: 3/10")
	assert.NotContains(t, copyText, "Stamps: 4/10")
	assert.Equal(t, strings.Count(text, "Stamp card"), strings.Count(copyText, "Stamp card"), "each line once")
}

func TestAnOverrunningHookNeverReadsTheCartLater(t *testing.T) {
	for _, isolated := range []bool{false, true} {
		t.Run(fmt.Sprintf("isolated=%v", isolated), func(t *testing.T) { testOverrunReadsNoCart(t, isolated) })
	}
}

func testOverrunReadsNoCart(t *testing.T, isolated bool) {
	tl := newTill(t, true)
	reg := pos.NewRegister(testSetup(true), tl.store, pos.Options{TriggerTimeout: 20 * time.Millisecond})
	tl.Register = reg
	late := make(chan *cart.Cart, 1)
	require.NoError(t, reg.AddHook(pos.Hook{Extension: "acme.slow", Ops: []pos.OpID{pos.OpProductSale}, Isolated: isolated,
		Pre: func(ctx context.Context, op pos.Operation, v pos.View) error {
			if op.(pos.ProductSale).Barcode != bcMilk {
				return nil
			}
			<-ctx.Done()
			time.Sleep(20 * time.Millisecond) // the register goes on meanwhile
			late <- v.Cart()
			return nil
		}}))
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	tl.do(t, pos.ProductSale{Barcode: bcMilk}) // overruns: the sale goes on without it
	tl.do(t, pos.ProductSale{Barcode: bcWine})
	assert.Nil(t, <-late, "a view read after the hook's deadline is empty")
	assert.Len(t, reg.Cart().Lines, 3)
}
