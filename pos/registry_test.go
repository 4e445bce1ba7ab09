package pos_test

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/tender"
)

// stampOp is an extension's custom operation for the tests.
type stampOp struct{ Stamps int }

func (stampOp) OpID() pos.OpID { return pos.FirstCustomOp + 1 }

// otherOp answers an ID that is not its spec's.
type otherOp struct{}

func (otherOp) OpID() pos.OpID { return pos.FirstCustomOp + 2 }

type online bool

func (o *online) Online() bool { return bool(*o) }

func TestRegistryRefusesDuplicatesAndReservedIDs(t *testing.T) {
	h := func(context.Context, pos.State, stampOp) (pos.Result, error) { return pos.Result{}, nil }
	tests := []struct {
		name string
		spec pos.OpSpec
		want string
	}{
		{"below 5000", pos.OpSpec{ID: pos.OpProductSale, Name: "Mine"}, "custom operations take IDs from 5000 up"},
		{"no name", pos.OpSpec{ID: pos.FirstCustomOp + 1}, "has no name"},
		{"wrong request type", pos.OpSpec{ID: pos.FirstCustomOp + 3, Name: "Stamp"}, "answers OpID 5001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pos.Add(pos.NewRegistry(), tt.spec, h)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	g := pos.NewRegistry()
	require.NoError(t, pos.Add(g, pos.OpSpec{ID: pos.FirstCustomOp + 1, Name: "Stamp card", Permission: staff.Permission(pos.FirstCustomOp + 1), Offline: true}, h))
	err := pos.Add(g, pos.OpSpec{ID: pos.FirstCustomOp + 1, Name: "Other stamps"}, h)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `already registered as "Stamp card"`)
	require.NoError(t, pos.Add(g, pos.OpSpec{ID: pos.FirstCustomOp + 2, Name: "Other"}, func(context.Context, pos.State, otherOp) (pos.Result, error) { return pos.Result{}, nil }))
	assert.Len(t, g.InGroup(pos.GroupCustom), 2)
}

func TestRegistryDescribesEveryOperation(t *testing.T) {
	g := pos.NewRegistry()
	ids := map[pos.OpID]bool{}
	for _, s := range g.Specs() {
		assert.False(t, ids[s.ID], "%d twice", s.ID)
		ids[s.ID] = true
		assert.NotEmpty(t, s.Type(), "%d has a request type", s.ID)
		op := s.New()
		require.NotNil(t, op, "%d", s.ID)
		if s.ID != pos.OpLineDiscountPct && s.ID != pos.OpTotalDiscountPct {
			// one request type serves the amount and the percent discount;
			// its zero value is the amount one
			assert.Equal(t, s.ID, op.OpID(), "%s", s.Type())
		}
		assert.NotEmpty(t, s.Group, "%d", s.ID)
	}
	sale, ok := g.Spec(pos.OpProductSale)
	require.True(t, ok)
	assert.True(t, sale.NeedsShift && sale.Quote && sale.Offline)
	assert.Contains(t, sale.Params, pos.Param{Name: "Price", Type: "money.Amount"})
	stock, _ := g.Spec(pos.OpStockElsewhere)
	assert.False(t, stock.Offline, "stock in other stores needs the server")
	var shiftIDs []pos.OpID
	for _, s := range g.InGroup(pos.GroupShift) {
		shiftIDs = append(shiftIDs, s.ID)
	}
	assert.Equal(t, []pos.OpID{pos.OpOpenShift, pos.OpResumeShift, pos.OpJoinShift, pos.OpNonDrawerMode}, shiftIDs, "registration order")
}

func TestCustomOperationRunsWithItsOwnPermission(t *testing.T) {
	ctx := context.Background()
	tl := newTill(t, true)
	g := pos.NewRegistry()
	id := pos.FirstCustomOp + 1
	var seen pos.State
	require.NoError(t, pos.Add(g, pos.OpSpec{ID: id, Name: "Stamp card", Permission: staff.Permission(id), Offline: true, Doc: "Show the stamps."},
		func(_ context.Context, s pos.State, op stampOp) (pos.Result, error) {
			seen = s
			if op.Stamps < 0 {
				panic("negative stamps")
			}
			return pos.Result{}, nil
		}))
	reg := pos.NewRegister(testSetup(true), tl.store, pos.Options{Registry: g})
	_, err := reg.Do(ctx, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	require.NoError(t, err)
	_, err = reg.Do(ctx, stampOp{Stamps: 3})
	assert.Equal(t, poserr.NotPermitted, poserr.KindOf(err), "the cashier's role does not list 5001: %v", err)
	assert.False(t, reg.Can(id))

	_, err = reg.Do(ctx, pos.Approved{Op: stampOp{Stamps: 3}, ManagerID: "2001", Secret: "2468"})
	assert.Equal(t, poserr.NotPermitted, poserr.KindOf(err), "the manager's role does not list it either: %v", err)
	require.NoError(t, tl.store.PutRole(ctx, staff.Role{ID: "manager", Name: "Manager", Manager: true, Permissions: g.Permissions()}))
	_, err = reg.Do(ctx, pos.Approved{Op: stampOp{Stamps: 3}, ManagerID: "2001", Secret: "2468"})
	require.NoError(t, err, "a role that lists 5001 authorises it")
	assert.Equal(t, "1001", seen.Operator)

	_, err = reg.Do(ctx, pos.Approved{Op: stampOp{Stamps: -1}, ManagerID: "2001", Secret: "2468"})
	require.Error(t, err)
	assert.Equal(t, poserr.Cancelled, poserr.KindOf(err), "a panicking custom operation is contained")
	assert.Contains(t, g.Markdown(), "| 5001 | Stamp card | `5001` |")
}

func TestOnlineOnlyOperationsAreRefusedOffline(t *testing.T) {
	ctx := context.Background()
	tl := newTill(t, true)
	conn := online(false)
	stock := stockFunc(func(context.Context, string) ([]pos.StoreStock, error) {
		return []pos.StoreStock{{StoreID: "S2", StoreName: "Nord", OnHand: 3 * catalog.One}}, nil
	})
	reg := pos.NewRegister(testSetup(true), tl.store, pos.Options{Connectivity: &conn, Stock: stock})
	_, err := reg.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.StockElsewhere{ProductID: "10001"})
	require.Error(t, err)
	assert.Equal(t, poserr.Offline, poserr.KindOf(err))
	assert.Contains(t, err.Error(), "Stock in other stores needs the store server")

	conn = true
	res, err := reg.Do(ctx, pos.StockElsewhere{ProductID: "10001"})
	require.NoError(t, err)
	assert.Equal(t, []pos.StoreStock{{StoreID: "S2", StoreName: "Nord", OnHand: 3 * catalog.One}}, res.Stock)

	conn = false
	_, err = reg.Do(ctx, pos.ProductSale{Barcode: bcMilk})
	assert.NoError(t, err, "selling works offline")

	noStock := pos.NewRegister(testSetup(true), tl.store, pos.Options{Connectivity: &conn})
	conn = true
	_, err = noStock.Do(ctx, pos.SignIn{OperatorID: "2001", Secret: "2468"})
	require.NoError(t, err)
	_, err = noStock.Do(ctx, pos.StockElsewhere{ProductID: "10001"})
	assert.Equal(t, poserr.Offline, poserr.KindOf(err), "no server set up says so")
}

type stockFunc func(context.Context, string) ([]pos.StoreStock, error)

func (f stockFunc) StockLevels(ctx context.Context, id string) ([]pos.StoreStock, error) {
	return f(ctx, id)
}

func TestTypedOutcomesForWeightAndPrice(t *testing.T) {
	tl := newTill(t, true)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	res, err := tl.Do(context.Background(), pos.ProductSale{Barcode: "2100042000001"})
	require.ErrorIs(t, err, pos.ErrNeedsWeight)
	require.NotNil(t, res.NeedsWeight)
	assert.Equal(t, "10042", res.NeedsWeight.ID)
	tl.do(t, pos.ProductSale{ProductID: res.NeedsWeight.ID, Qty: 500})

	res, err = tl.Do(context.Background(), pos.ProductSale{Barcode: bcGiftBox})
	require.ErrorIs(t, err, pos.ErrNeedsPrice)
	require.NotNil(t, res.NeedsPrice)
	assert.Equal(t, "Gift box", res.NeedsPrice.Name)
	line := tl.do(t, pos.ProductSale{Barcode: bcGiftBox, Price: 1500}).Line
	assert.Equal(t, int64(1500), int64(line.UnitPrice))
	assert.False(t, errors.Is(err, pos.ErrNeedsWeight))
}

// blockingTrigger blocks its pre-trigger until its context ends, or calls
// back into the register.
type blockingTrigger struct {
	reg      *pos.Register
	callBack bool
	post     bool
	err      error
}

func (b *blockingTrigger) PreOperation(ctx context.Context, op pos.Operation, _ pos.State) error {
	if _, ok := op.(pos.ProductSale); !ok {
		return nil
	}
	if b.callBack {
		_, b.err = b.reg.Do(ctx, pos.VoidLine{Line: 1})
		return nil
	}
	if !b.post {
		<-ctx.Done()
	}
	return nil
}

func (b *blockingTrigger) PostOperation(ctx context.Context, op pos.Operation, _ pos.Result, _ error) {
	if _, ok := op.(pos.ProductSale); ok && b.post {
		<-ctx.Done()
	}
}

func TestTriggerCallingBackFailsFast(t *testing.T) {
	tl := newTill(t, true)
	tr := &blockingTrigger{reg: tl.Register, callBack: true}
	tl.AddTrigger(tr)
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tl.do(t, pos.ProductSale{Barcode: bcMilk})
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("a trigger calling back into the register deadlocked it")
	}
	require.Error(t, tr.err)
	assert.Equal(t, poserr.Conflict, poserr.KindOf(tr.err))
}

func TestTimedOutTriggersLeakNoGoroutineAndPostTriggersHaveADeadline(t *testing.T) {
	tl := newTill(t, true)
	reg := pos.NewRegister(testSetup(true), tl.store, pos.Options{TriggerTimeout: 30 * time.Millisecond})
	ctx := context.Background()
	_, err := reg.Do(ctx, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	require.NoError(t, err)
	var failed atomic.Int32
	reg.Subscribe(func(e pos.Event) {
		if e.Type == pos.ExtensionFailed {
			failed.Add(1)
		}
	})
	before := runtime.NumGoroutine()
	reg.AddTrigger(&blockingTrigger{})
	for range 5 {
		_, err = reg.Do(ctx, pos.ProductSale{Barcode: bcMilk})
		require.Error(t, err)
		assert.Equal(t, poserr.Cancelled, poserr.KindOf(err))
	}
	post := pos.NewRegister(testSetup(true), tl.store, pos.Options{TriggerTimeout: 30 * time.Millisecond})
	_, err = post.Do(ctx, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	require.NoError(t, err)
	post.Subscribe(func(e pos.Event) {
		if e.Type == pos.ExtensionFailed {
			failed.Add(1)
		}
	})
	post.AddTrigger(&blockingTrigger{post: true})
	start := time.Now()
	_, err = post.Do(ctx, pos.ProductSale{Barcode: bcMilk})
	require.NoError(t, err)
	assert.Less(t, time.Since(start), time.Second, "a blocked post-trigger is cut off at its deadline")
	post.Flush()
	assert.Equal(t, int32(1), failed.Load(), "the overrun is reported")
	require.Eventually(t, func() bool { return runtime.NumGoroutine() <= before+2 }, 2*time.Second, 10*time.Millisecond,
		"trigger goroutines end with their context (before %d, now %d)", before, runtime.NumGoroutine())
}

func TestABlockedSubscriberDoesNotStallASale(t *testing.T) {
	tl := newTill(t, true)
	release := make(chan struct{})
	var got atomic.Int32
	tl.Subscribe(func(pos.Event) { <-release })
	tl.Subscribe(func(pos.Event) { got.Add(1) })
	tl.do(t, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 20 {
			tl.do(t, pos.ProductSale{Barcode: bcMilk})
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a blocked subscriber stalled the register")
	}
	require.Eventually(t, func() bool { return got.Load() >= 41 }, 2*time.Second, 5*time.Millisecond, "the other subscriber got every event")
	close(release)
	tl.Flush()
}

// slowTerminal holds an authorisation until released.
type slowTerminal struct {
	tender.PaymentTerminal
	entered chan struct{}
	release chan struct{}
}

func (s *slowTerminal) Authorize(ctx context.Context, r tender.Request) (tender.Approval, error) {
	close(s.entered)
	<-s.release
	return s.PaymentTerminal.Authorize(ctx, r)
}

func TestTheLockIsNotHeldAcrossTheTerminal(t *testing.T) {
	ctx := context.Background()
	tl := newTill(t, true)
	term := &slowTerminal{PaymentTerminal: paysim.New(), entered: make(chan struct{}), release: make(chan struct{})}
	reg := pos.NewRegister(testSetup(true), tl.store, pos.Options{Terminal: term})
	_, err := reg.Do(ctx, pos.SignIn{OperatorID: "1001", Secret: "1234"})
	require.NoError(t, err)
	_, err = reg.Do(ctx, pos.ProductSale{Barcode: bcMilk})
	require.NoError(t, err)
	paid := make(chan error, 1)
	go func() {
		_, err := reg.Do(ctx, pos.PayCard{})
		paid <- err
	}()
	<-term.entered
	cartRead := make(chan *cart.Cart, 1)
	go func() { cartRead <- reg.Cart() }()
	select {
	case c := <-cartRead:
		require.NotNil(t, c)
		assert.Len(t, c.Lines, 1)
	case <-time.After(time.Second):
		t.Fatal("reading the cart waited for the terminal")
	}
	assert.True(t, reg.Authorising())
	_, err = reg.Do(ctx, pos.ProductSale{Barcode: bcWine})
	require.Error(t, err)
	assert.Equal(t, poserr.Conflict, poserr.KindOf(err), "nothing changes the cart while the card is at the terminal")
	close(term.release)
	require.NoError(t, <-paid)
	assert.False(t, reg.Authorising())
	assert.Nil(t, reg.Cart(), "the card settled the sale")
}
