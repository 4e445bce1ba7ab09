// Package extensions is OpenTill's SDK for ISVs: a till carries the Go
// extensions it blank-imports (Tier 1) and loads sandboxed WebAssembly
// modules from its data folder at run time (Tier 2, extensions/wasm). Both
// end up as the same thing for the register: hooks around operations,
// custom operations in the one operation registry, receipt fields and
// panels described as data.
//
// A Go extension registers itself from init, as database/sql drivers and
// Caddy modules do:
//
//	func init() { extensions.Register(extensions.Info{ID: "acme.agecheck", Name: "Age check", New: func() extensions.Extension { return new(AgeCheck) }}) }
//
// and implements only the optional interfaces it needs: Provisioner (its
// config and state), Validator, CleanerUpper (lifecycle); Hooked with
// PreTrigger and/or PostTrigger (triggers); Operations (custom operations,
// 5000 and up); ReceiptFielder (receipt lines). What an extension sees of
// the till is a pos.View of copies; what it does, it does by returning
// operations, which the register runs as the operator, with permissions,
// limits and the journal applying to them.
package extensions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"sync"
	"time"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
)

// Extension is one instance of an extension. The till makes one per
// session with Info.New.
type Extension interface {
	ExtensionInfo() Info
}

// Info describes an extension.
type Info struct {
	// ID is namespaced: the vendor, a dot, the extension ("acme.agecheck");
	// lower case letters, digits and underscores.
	ID      string
	Name    string // English, for lists
	Version string
	// New returns a new, unprovisioned instance.
	New func() Extension
	// Tier is "go" for compiled-in extensions, "wasm" for modules.
	Tier string
}

// Provisioner is an extension that takes its config and state before use.
type Provisioner interface {
	Provision(ctx context.Context, pc ProvisionContext) error
}

// Validator checks a provisioned extension before it is used.
type Validator interface {
	Validate() error
}

// CleanerUpper releases what Provision took. It is called even when
// Provision failed.
type CleanerUpper interface {
	Cleanup() error
}

// Hooked names the operations an extension's triggers run on (none: every
// operation) and what a failure of its pre-trigger does to the operation.
type Hooked interface {
	Hooks() Hooks
}

// Hooks is what Hooked returns.
type Hooks struct {
	Ops     []pos.OpID
	Policy  pos.FailPolicy
	Timeout time.Duration // per call; 0 = the register's
	// Isolated runs each call (triggers and receipt fields) on a goroutine
	// of its own, which the register waits for no longer than the deadline
	// (pos.Hook.Isolated): for an extension that may block where its
	// context does not reach. It costs about 15 µs a call. Without it, a
	// call is a plain function call; its context still ends at the
	// deadline, and a panic or a late answer still switches the extension
	// off.
	Isolated bool
}

// PreTrigger runs before an operation. Return nil to let it run,
// pos.Refuse(...) to cancel it with a message, pos.AskOperator(...) to ask
// the operator first (the operation comes back with v.Answers).
type PreTrigger interface {
	PreOperation(ctx context.Context, op pos.Operation, v pos.View) error
}

// PostTrigger runs after an operation; the operations it returns run next,
// as the operator.
type PostTrigger interface {
	PostOperation(ctx context.Context, op pos.Operation, res pos.Result, opErr error, v pos.View) ([]pos.Operation, error)
}

// Operations registers an extension's custom operations (IDs from
// pos.FirstCustomOp) in the till's registry, with pos.Add.
type Operations interface {
	Operations(g *pos.Registry) error
}

// ReceiptFielder adds lines to the receipt of a completed transaction.
type ReceiptFielder interface {
	ReceiptLines(ctx context.Context, c *cart.Cart, v pos.View) (pos.ReceiptLines, error)
}

// ProvisionContext is what an extension gets at start.
type ProvisionContext struct {
	// Config is the extension's own config (JSON), nil when it has none.
	Config json.RawMessage
	// State keeps the extension's data across restarts of the till.
	State State
}

// Decode decodes the config into dst strictly: an unknown field is an error
// that names it. No config leaves dst as it is.
func (pc ProvisionContext) Decode(dst any) error {
	if len(bytes.TrimSpace(pc.Config)) == 0 {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(pc.Config))
	d.DisallowUnknownFields()
	if err := d.Decode(dst); err != nil {
		return fmt.Errorf("its config: %w", err)
	}
	return nil
}

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

// ValidID reports whether id is a namespaced extension ID.
func ValidID(id string) error {
	if !idPattern.MatchString(id) {
		return fmt.Errorf("extension ID %q: write vendor.name in lower case (letters, digits, underscores), e.g. acme.agecheck", id)
	}
	return nil
}

var (
	regMu    sync.RWMutex
	registry = map[string]Info{}
)

// Register adds a compiled-in extension; call it from init. It panics on an
// invalid or reserved ID, a missing New, or a duplicate: those are
// programming errors of the binary.
func Register(info Info) {
	if err := ValidID(info.ID); err != nil {
		panic(err)
	}
	if info.New == nil {
		panic(fmt.Sprintf("extension %s: Info.New is nil", info.ID))
	}
	if got := info.New(); got == nil {
		panic(fmt.Sprintf("extension %s: Info.New returned nil", info.ID))
	} else if id := got.ExtensionInfo().ID; id != info.ID {
		panic(fmt.Sprintf("extension %s: its instances call themselves %s", info.ID, id))
	}
	if info.Tier == "" {
		info.Tier = "go"
	}
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[info.ID]; dup {
		panic(fmt.Sprintf("extension %s is registered twice: two packages claim the ID", info.ID))
	}
	registry[info.ID] = info
}

// Registered returns the compiled-in extensions sorted by ID.
func Registered() []Info {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]Info, 0, len(registry))
	for _, i := range registry {
		out = append(out, i)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

// Lookup returns a compiled-in extension by ID.
func Lookup(id string) (Info, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	i, ok := registry[id]
	return i, ok
}

// Loaded is one extension a Set runs.
type Loaded struct {
	Info
	Ext    Extension
	Hooks  Hooks
	Custom []pos.OpID // the operations it added
	Pre    bool
	Post   bool
	Fields bool
}

// Set is the extensions one till runs: provisioned, validated, their
// custom operations in the registry; Attach hooks them to the register.
type Set struct {
	loaded []*Loaded
}

// Options say how a Set is loaded.
type Options struct {
	// Configs are the extensions' configs by ID.
	Configs map[string]json.RawMessage
	// State gives an extension its state store; nil = in memory.
	State func(id string) State
	// Skip lists compiled-in extensions not to load.
	Skip []string
}

// Load provisions and validates the compiled-in extensions and those
// given (WebAssembly modules), and registers their custom operations in g.
// On an error nothing is left provisioned; the error names the extension.
func Load(ctx context.Context, g *pos.Registry, opt Options, more ...Extension) (*Set, error) {
	var exts []Extension
	skip := map[string]bool{}
	for _, id := range opt.Skip {
		skip[id] = true
	}
	for _, info := range Registered() {
		if !skip[info.ID] {
			exts = append(exts, info.New())
		}
	}
	exts = append(exts, more...)
	s := &Set{}
	seen := map[string]bool{}
	for _, e := range exts {
		l, err := s.load(ctx, g, opt, e, seen)
		if err != nil {
			return nil, errors.Join(err, s.Close())
		}
		s.loaded = append(s.loaded, l)
	}
	return s, nil
}

func (s *Set) load(ctx context.Context, g *pos.Registry, opt Options, e Extension, seen map[string]bool) (*Loaded, error) {
	info := e.ExtensionInfo()
	if err := ValidID(info.ID); err != nil {
		return nil, err
	}
	if seen[info.ID] {
		return nil, fmt.Errorf("extension %s is loaded twice: a module and a compiled-in extension (or two modules) claim the ID", info.ID)
	}
	seen[info.ID] = true
	if info.Tier == "" {
		info.Tier = "go"
	}
	l := &Loaded{Info: info, Ext: e}
	if p, ok := e.(Provisioner); ok {
		st := State(NewMemState())
		if opt.State != nil {
			st = opt.State(info.ID)
		}
		if err := p.Provision(ctx, ProvisionContext{Config: opt.Configs[info.ID], State: st}); err != nil {
			return nil, errors.Join(fmt.Errorf("extension %s could not start: %w", info.ID, err), cleanup(e))
		}
	}
	if v, ok := e.(Validator); ok {
		if err := v.Validate(); err != nil {
			return nil, errors.Join(fmt.Errorf("extension %s is not set up right: %w", info.ID, err), cleanup(e))
		}
	}
	if o, ok := e.(Operations); ok {
		before := map[pos.OpID]bool{}
		for _, sp := range g.Specs() {
			before[sp.ID] = true
		}
		if err := o.Operations(g); err != nil {
			return nil, errors.Join(fmt.Errorf("extension %s: %w", info.ID, err), cleanup(e))
		}
		for _, sp := range g.Specs() {
			if !before[sp.ID] {
				l.Custom = append(l.Custom, sp.ID)
			}
		}
	}
	if h, ok := e.(Hooked); ok {
		l.Hooks = h.Hooks()
	}
	_, l.Pre = e.(PreTrigger)
	_, l.Post = e.(PostTrigger)
	_, l.Fields = e.(ReceiptFielder)
	return l, nil
}

func cleanup(e Extension) error {
	if c, ok := e.(CleanerUpper); ok {
		return c.Cleanup()
	}
	return nil
}

// Attach hooks the set's triggers and receipt fields to the register.
// A nil Set attaches nothing.
func (s *Set) Attach(r *pos.Register) error {
	if s == nil {
		return nil
	}
	for _, l := range s.loaded {
		h := pos.Hook{Extension: l.ID, Ops: l.Hooks.Ops, Policy: l.Hooks.Policy, Timeout: l.Hooks.Timeout, Isolated: l.Hooks.Isolated}
		if p, ok := l.Ext.(PreTrigger); ok {
			h.Pre = p.PreOperation
		}
		if p, ok := l.Ext.(PostTrigger); ok {
			h.Post = p.PostOperation
		}
		if h.Pre != nil || h.Post != nil {
			if err := r.AddHook(h); err != nil {
				return err
			}
		}
		if f, ok := l.Ext.(ReceiptFielder); ok {
			if err := r.AddReceiptFields(h, f.ReceiptLines); err != nil {
				return err
			}
		}
	}
	return nil
}

// Loaded returns the set's extensions in load order.
func (s *Set) Loaded() []Loaded {
	if s == nil {
		return nil
	}
	out := make([]Loaded, len(s.loaded))
	for i, l := range s.loaded {
		out[i] = *l
	}
	return out
}

// Close cleans every extension up; it may be called on a nil Set.
func (s *Set) Close() error {
	if s == nil {
		return nil
	}
	var errs []error
	for i := len(s.loaded) - 1; i >= 0; i-- {
		if err := cleanup(s.loaded[i].Ext); err != nil {
			errs = append(errs, fmt.Errorf("extension %s: cleaning up: %w", s.loaded[i].ID, err))
		}
	}
	s.loaded = nil
	return errors.Join(errs...)
}
