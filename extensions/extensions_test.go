package extensions_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/exttest"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/staff"
)

// lifecycle records the calls an extension gets.
type lifecycle struct {
	id       string
	calls    *[]string
	failProv bool
}

func (l *lifecycle) ExtensionInfo() extensions.Info { return extensions.Info{ID: l.id, Name: "Test"} }
func (l *lifecycle) Provision(_ context.Context, pc extensions.ProvisionContext) error {
	*l.calls = append(*l.calls, l.id+" provision "+string(pc.Config))
	if l.failProv {
		return errors.New("no licence key")
	}
	return nil
}
func (l *lifecycle) Validate() error { *l.calls = append(*l.calls, l.id+" validate"); return nil }
func (l *lifecycle) Cleanup() error  { *l.calls = append(*l.calls, l.id+" cleanup"); return nil }

var registeredRuns atomic.Int32

func TestRegisterRefusesBadIDsAndDuplicates(t *testing.T) {
	for name, info := range map[string]extensions.Info{
		"no namespace": {ID: "agecheck", New: func() extensions.Extension { return &lifecycle{id: "agecheck"} }},
		"upper case":   {ID: "Acme.Age", New: func() extensions.Extension { return &lifecycle{id: "Acme.Age"} }},
		"no New":       {ID: "acme.none"},
		"wrong ID":     {ID: "acme.one", New: func() extensions.Extension { return &lifecycle{id: "acme.two"} }},
	} {
		t.Run(name, func(t *testing.T) { assert.Panics(t, func() { extensions.Register(info) }) })
	}
	// The registry is the process's: each run of the test (-count) claims
	// an ID of its own.
	id := fmt.Sprintf("test.registered%d", registeredRuns.Add(1))
	ok := extensions.Info{ID: id, New: func() extensions.Extension { return &lifecycle{id: id, calls: new([]string)} }}
	extensions.Register(ok)
	assert.PanicsWithValue(t, "extension "+id+" is registered twice: two packages claim the ID", func() { extensions.Register(ok) })
	ids := []string{}
	for _, i := range extensions.Registered() {
		ids = append(ids, i.ID)
	}
	assert.IsIncreasing(t, ids)
}

func TestLifecycleAndCleanupAfterAFailedStart(t *testing.T) {
	var calls []string
	a := &lifecycle{id: "acme.a", calls: &calls}
	b := &lifecycle{id: "acme.b", calls: &calls, failProv: true}
	_, err := extensions.Load(context.Background(), pos.NewRegistry(), extensions.Options{Skip: ids(), Configs: map[string]json.RawMessage{"acme.a": json.RawMessage(`{"x":1}`)}}, a, b)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "extension acme.b could not start: no licence key")
	assert.Equal(t, []string{`acme.a provision {"x":1}`, "acme.a validate", "acme.b provision ", "acme.b cleanup", "acme.a cleanup"}, calls)

	calls = nil
	set, err := extensions.Load(context.Background(), pos.NewRegistry(), extensions.Options{Skip: ids()}, a)
	require.NoError(t, err)
	require.NoError(t, set.Close())
	assert.Equal(t, []string{"acme.a provision ", "acme.a validate", "acme.a cleanup"}, calls)

	_, err = extensions.Load(context.Background(), pos.NewRegistry(), extensions.Options{Skip: ids()}, &lifecycle{id: "acme.a", calls: &calls}, &lifecycle{id: "acme.a", calls: &calls})
	assert.ErrorContains(t, err, "loaded twice")
}

func ids() []string {
	var out []string
	for _, i := range extensions.Registered() {
		out = append(out, i.ID)
	}
	return out
}

// bell is a custom operation of a test extension.
type bell struct{}

func (bell) OpID() pos.OpID { return pos.FirstCustomOp + 90 }

type bellExt struct{}

func (bellExt) ExtensionInfo() extensions.Info { return extensions.Info{ID: "acme.bell", Name: "Bell"} }
func (bellExt) Operations(g *pos.Registry) error {
	return pos.Add(g, pos.OpSpec{ID: pos.FirstCustomOp + 90, Name: "Ring the bell", Doc: "Rings.", Permission: staff.Permission(pos.FirstCustomOp + 90), Offline: true},
		func(_ context.Context, s pos.State, _ bell) (pos.Result, error) { return pos.Result{}, nil })
}

func TestCustomOperationsHaveTheirOwnPermission(t *testing.T) {
	h := exttest.New(t, exttest.Options{Extensions: []extensions.Extension{bellExt{}}, NoGrant: true})
	h.SignIn("1001", "1234")
	_, err := h.Do(bell{})
	require.Error(t, err, "the cashier's role does not grant 5090")
	h2 := exttest.New(t, exttest.Options{Extensions: []extensions.Extension{bellExt{}}})
	h2.SignIn("1001", "1234")
	h2.Must(bell{})
	require.Equal(t, []pos.OpID{pos.FirstCustomOp + 90}, h2.Set.Loaded()[0].Custom)
	sp, ok := h2.Operations().Spec(pos.FirstCustomOp + 90)
	require.True(t, ok)
	assert.True(t, sp.Offline)
}

// stuck is a Go extension whose pre-trigger never returns on one product
// (a library call that ignores its context, say).
type stuck struct {
	isolated bool
	stop     chan struct{}
}

func (*stuck) ExtensionInfo() extensions.Info {
	return extensions.Info{ID: "test.stuck", Name: "Stuck"}
}
func (s *stuck) Hooks() extensions.Hooks {
	return extensions.Hooks{Ops: []pos.OpID{pos.OpProductSale}, Isolated: s.isolated}
}
func (s *stuck) PreOperation(_ context.Context, op pos.Operation, _ pos.View) error {
	if op.(pos.ProductSale).Barcode == "4000000000020" {
		<-s.stop
	}
	return nil
}

// An extension that declares Isolated is left behind at its deadline:
// the sale goes on without it, and it is switched off for the session.
func TestAnIsolatedExtensionThatNeverAnswersIsLeftBehind(t *testing.T) {
	s := &stuck{isolated: true, stop: make(chan struct{})}
	t.Cleanup(func() { close(s.stop) })
	h := exttest.New(t, exttest.Options{Extensions: []extensions.Extension{s}, TriggerTimeout: 50 * time.Millisecond})
	h.SignIn("1001", "1234")
	h.Must(pos.ProductSale{Barcode: "4000000000013"})
	done := make(chan error, 1)
	go func() { _, err := h.Do(pos.ProductSale{Barcode: "4000000000020"}); done <- err }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("the till waited for an isolated extension past its deadline")
	}
	assert.Len(t, h.Register.Cart().Lines, 2)
	assert.Contains(t, h.Register.Disabled(), "test.stuck")
}
