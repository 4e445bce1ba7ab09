// Package exttest is a fake till for testing an extension without a UI: a
// register on the in-memory store with the demo store's setup, catalog and
// staff, the extension loaded and attached as a till would, and helpers to
// run operations (or a script of them), answer the extension's questions and
// read what it journaled and reported.
//
//	h := exttest.New(t, exttest.Options{Extensions: []extensions.Extension{agecheck.New()}})
//	h.SignIn("1001", "1234")
//	_, err := h.Do(pos.ProductSale{Barcode: "4000000000181"})
//	q := h.Question(err)          // the extension asks
//	h.Answer(err, "yes", nil)    // the cashier answers
package exttest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/memstore"
	"github.com/opentill/opentill/pos/prompt"
	"github.com/opentill/opentill/pos/script"
	"github.com/opentill/opentill/pos/staff"
)

// Options configure the fake till.
type Options struct {
	// Extensions to load besides the compiled-in ones named in Only.
	Extensions []extensions.Extension
	// Only loads these compiled-in extensions (by ID); none = none of them.
	Only []string
	// Configs by extension ID.
	Configs map[string]json.RawMessage
	// State gives extensions their state; nil = one MemState per extension,
	// kept by the Host (see Host.State).
	State func(id string) extensions.State
	// TriggerTimeout bounds every extension call; 0 = 2 s.
	TriggerTimeout time.Duration
	// Shifts keeps the demo's shift policy (a shift must be open to sell);
	// by default shifts are not required.
	Shifts bool
	// Grant lists extra permissions the demo roles get (the extensions'
	// custom operations are granted to every role unless NoGrant).
	Grant   []staff.Permission
	NoGrant bool
}

// Host is the fake till.
type Host struct {
	*pos.Register
	Store *memstore.Store
	Set   *extensions.Set
	t     testing.TB

	mu     sync.Mutex
	events []pos.Event
	sub    *pos.Subscription
	states map[string]*extensions.MemState
}

// New builds the fake till; it fails the test when an extension does not load.
func New(t testing.TB, o Options) *Host {
	t.Helper()
	h, err := Build(o)
	if err != nil {
		t.Fatalf("exttest: %v", err)
	}
	h.t = t
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Errorf("exttest: %v", err)
		}
	})
	return h
}

// Build builds the fake till without a test (posctl ext run uses it).
func Build(o Options) (*Host, error) {
	ctx := context.Background()
	h := &Host{Store: memstore.New(), states: map[string]*extensions.MemState{}}
	reg := pos.NewRegistry()
	state := o.State
	if state == nil {
		state = func(id string) extensions.State {
			h.mu.Lock()
			defer h.mu.Unlock()
			if h.states[id] == nil {
				h.states[id] = extensions.NewMemState()
			}
			return h.states[id]
		}
	}
	only := map[string]bool{}
	for _, id := range o.Only {
		only[id] = true
	}
	var skip []string
	for _, info := range extensions.Registered() {
		if !only[info.ID] {
			skip = append(skip, info.ID)
		}
	}
	set, err := extensions.Load(ctx, reg, extensions.Options{Configs: o.Configs, State: state, Skip: skip}, o.Extensions...)
	if err != nil {
		return nil, err
	}
	h.Set = set
	setup := demo.Setup()
	if !o.Shifts {
		setup.Shifts.Required = false
	}
	if err := h.Store.SaveSetup(ctx, setup); err != nil {
		return nil, err
	}
	for _, p := range demo.Featured {
		if err := h.Store.PutProduct(ctx, p); err != nil {
			return nil, err
		}
	}
	grant := append([]staff.Permission(nil), o.Grant...)
	if !o.NoGrant {
		for _, l := range set.Loaded() {
			for _, id := range l.Custom {
				if sp, ok := reg.Spec(id); ok && sp.Permission != 0 {
					grant = append(grant, sp.Permission)
				}
			}
		}
	}
	roles, ops := demo.Staff()
	for _, r := range roles {
		r.Permissions = append(r.Permissions, grant...)
		if err := h.Store.PutRole(ctx, r); err != nil {
			return nil, err
		}
	}
	for _, op := range ops {
		if err := h.Store.PutOperator(ctx, op.Operator); err != nil {
			return nil, err
		}
	}
	timeout := o.TriggerTimeout
	h.Register = pos.NewRegister(setup, h.Store, pos.Options{Registry: reg, TriggerTimeout: timeout})
	if err := set.Attach(h.Register); err != nil {
		return nil, errors.Join(err, set.Close())
	}
	h.sub = h.Watch(func(e pos.Event) {
		h.mu.Lock()
		h.events = append(h.events, e)
		h.mu.Unlock()
	})
	return h, nil
}

// Close cleans the extensions up.
func (h *Host) Close() error {
	if h.sub != nil {
		h.sub.Cancel()
		h.sub = nil
	}
	return h.Set.Close()
}

// State returns the in-memory state an extension was given.
func (h *Host) State(id string) *extensions.MemState {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.states[id]
}

// SignIn signs a demo operator in (1001/1234 cashier, 2001/2468 manager).
func (h *Host) SignIn(id, pin string) {
	h.helper()
	if _, err := h.Do(pos.SignIn{OperatorID: id, Secret: pin}); err != nil {
		h.fatalf("signing %s in: %v", id, err)
	}
}

// Do runs an operation.
func (h *Host) Do(op pos.Operation) (pos.Result, error) {
	return h.Register.Do(context.Background(), op)
}

// Must runs an operation and fails the test on an error.
func (h *Host) Must(op pos.Operation) pos.Result {
	h.helper()
	res, err := h.Do(op)
	if err != nil {
		h.fatalf("%T: %v", op, err)
	}
	return res
}

// Question returns the extension's question an operation was refused with,
// or nil.
func Question(err error) *pos.Question {
	var q *pos.Question
	if errors.As(err, &q) {
		return q
	}
	return nil
}

// Answer answers the question err carries by pressing button with the
// given field values, running the operation again.
func (h *Host) Answer(op pos.Operation, err error, button string, fields map[string]string) (pos.Result, error) {
	q := Question(err)
	if q == nil {
		return pos.Result{}, fmt.Errorf("no question to answer: the operation ended with %v", err)
	}
	a := prompt.Answers{prompt.ButtonKey: button}
	for k, v := range fields {
		a[k] = v
	}
	return h.Do(pos.Answered{Op: op, Extension: q.Extension, Answers: a})
}

// Events returns the events so far (after the last operation's are in).
func (h *Host) Events() []pos.Event {
	if h.sub != nil {
		h.sub.Flush()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]pos.Event(nil), h.events...)
}

// Failures returns the ExtensionFailed events so far.
func (h *Host) Failures() []pos.Event {
	var out []pos.Event
	for _, e := range h.Events() {
		if e.Type == pos.ExtensionFailed {
			out = append(out, e)
		}
	}
	return out
}

// Entry is an extension journal entry with its payload decoded.
type Entry struct {
	journal.Entry
	Data map[string]any
}

// Journal returns the journal's extension entries.
func (h *Host) Journal() []Entry {
	var out []Entry
	err := h.Store.JournalEach(context.Background(), func(e journal.Entry) error {
		if e.Kind != journal.Extension {
			return nil
		}
		en := Entry{Entry: e}
		if err := json.Unmarshal(e.Payload, &en.Data); err != nil {
			return err
		}
		out = append(out, en)
		return nil
	})
	if err != nil {
		h.fatalf("reading the journal: %v", err)
	}
	return out
}

// Run runs a script: the steps of posctl sell (docs/scripts.md) plus
//
//	answer BUTTON [FIELD=VALUE ...]   answer the extension's last question
//
// writing what happens to out. A refused step is written and the script
// goes on; Run stops only at a step it cannot read.
func (h *Host) Run(in io.Reader, out io.Writer) error {
	digits := h.Setup().Currency.Digits
	sc := bufio.NewScanner(in)
	var lastOp pos.Operation
	var lastErr error
	n, seen := 0, len(h.Failures())
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var res pos.Result
		var err error
		if rest, ok := strings.CutPrefix(line, "answer "); ok {
			f := strings.Fields(rest)
			vals := map[string]string{}
			for _, kv := range f[1:] {
				k, v, _ := strings.Cut(kv, "=")
				vals[k] = v
			}
			res, err = h.Answer(lastOp, lastErr, f[0], vals)
		} else {
			st, perr := script.ParseLine(line, digits)
			if perr != nil {
				return fmt.Errorf("line %d (%s): %w", n, line, perr)
			}
			if st.Op == nil {
				return fmt.Errorf("line %d (%s): expectations are not supported here; read the output", n, line)
			}
			lastOp = st.Op
			res, err = h.Do(st.Op)
		}
		lastErr = err
		fmt.Fprintf(out, "> %s\n", line)
		fails := h.Failures()
		for _, e := range fails[min(seen, len(fails)):] {
			fmt.Fprintf(out, "  ! %s\n", e.Err)
		}
		seen = len(fails)
		var ref *pos.Refusal
		switch q := Question(err); {
		case q != nil:
			fmt.Fprintf(out, "  ? %s asks: %s\n", q.Extension, prompt.Render(q.Panel, "en"))
		case errors.As(err, &ref):
			fmt.Fprintf(out, "  x %s refused: %s\n", ref.Extension, ref.Message.In("en"))
		case err != nil:
			fmt.Fprintf(out, "  x %v\n", err)
		default:
			writeResult(out, res, digits)
		}
	}
	return sc.Err()
}

func writeResult(out io.Writer, res pos.Result, digits int) {
	switch {
	case res.Panel != nil:
		fmt.Fprintf(out, "  %s\n", prompt.Render(*res.Panel, "en"))
	case res.Receipt != nil:
		fmt.Fprintln(out, indent(res.Receipt.Text(42)))
	case res.Cart != nil:
		for _, l := range res.Cart.Lines {
			fmt.Fprintf(out, "  %2d %-30.30s %6s x %8s\n", l.No, l.Name, l.Qty.Format(l.UnitDecimals), l.UnitPrice.Format(digits))
		}
		fmt.Fprintf(out, "  total %s\n", res.Cart.Totals.Total.Format(digits))
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n  ")
}

func (h *Host) helper() {
	if h.t != nil {
		h.t.Helper()
	}
}

func (h *Host) fatalf(format string, args ...any) {
	if h.t != nil {
		h.t.Helper()
		h.t.Fatalf("exttest: "+format, args...)
	}
	panic(fmt.Sprintf("exttest: "+format, args...))
}
