package pos

// Adding an operation takes one place: its request type (a struct with an
// OpID method) and one builtin(...) call in the ...Ops function of the file
// that holds its handler, giving its OpSpec (name, permission, offline,
// needs-shift, quote, group, doc) and the typed handler. NewRegistry lists
// those functions. docs/operations.md (posctl ops --markdown), the button
// grid's check, the shift screen (groups shift and cash), the demo roles and
// the manager-override dialog all read the registry; screens translate the
// name as op.<ID> (a test fails while a language lacks it).
//
// An extension adds its own operation (ID FirstCustomOp and up) with
// pos.Add on a registry it hands the register through Options.Registry;
// it gets its own permission and offline flag, and a button of the grid
// can name it.

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/opentill/opentill/pos/staff"
)

// Group sorts operations by what they act on, for button grids, role
// editors and the shift screen. It carries no behaviour.
type Group string

// Operation groups.
const (
	GroupSale        Group = "sale"        // items and lines
	GroupDiscount    Group = "discount"    // manual discounts and coupons
	GroupPayment     Group = "payment"     // tenders
	GroupTransaction Group = "transaction" // the transaction as a whole
	GroupCustomer    Group = "customer"    // the customer on the transaction
	GroupSession     Group = "session"     // signing in and out
	GroupShift       Group = "shift"       // opening, joining and closing shifts
	GroupCash        Group = "cash"        // cash management in a shift
	GroupLookup      Group = "lookup"      // finding things, some of them on the store server
	GroupInventory   Group = "inventory"   // stock: lookup, counts, adjustments
	GroupOrder       Group = "order"       // customer orders and quotations
	GroupManager     Group = "manager"     // store management
	GroupCustom      Group = "custom"      // extensions' own operations
)

// Param is one typed parameter of an operation: a field of its request struct.
type Param struct {
	Name string // the Go field name
	Type string // its Go type, e.g. "money.Amount"
}

// Handler runs a custom operation (an extension's, ID 5000 and up). It sees
// the register's state read-only and returns a result; everything it would
// change it changes through operations of its own, after it returns.
type Handler func(ctx context.Context, s State, op Operation) (Result, error)

// OpSpec declares one operation: the one place its ID, name, permission,
// availability and handler are written down. Built-in operations register
// their specs beside their handlers (see each file's ...Ops function);
// extensions register theirs with Registry.Add.
type OpSpec struct {
	ID   OpID
	Name string // English name for docs and logs; screens translate op.<ID>
	Doc  string // one line for docs/operations.md
	// Permission is the permission a role needs; 0 means any signed-in operator.
	Permission staff.Permission
	// NoSignIn marks the operations that run with nobody signed in (sign-in).
	NoSignIn bool
	// Offline says the operation works without the store server. One that
	// does not fails with poserr.Offline while the connectivity source
	// reports the server unreachable.
	Offline bool
	// NeedsShift says the operation needs an open shift the operator works
	// in, when the store's shift policy requires shifts (sales, returns,
	// payments).
	NeedsShift bool
	// Quote says the operation may run in a price quote (pos.Quote).
	Quote bool
	// Group is what the operation acts on.
	Group Group
	// Params are the typed parameters (the request struct's fields); filled
	// in by the registry from the request type.
	Params []Param
	// Handler runs a custom operation; built-in operations have their own.
	Handler Handler

	builtin func(r *Register, ctx context.Context, op Operation, a *authority) (Result, error)
	typ     reflect.Type
}

// Type is the Go type of the operation's request, e.g. "pos.ProductSale".
func (s OpSpec) Type() string {
	if s.typ == nil {
		return ""
	}
	return s.typ.String()
}

// New returns a zero request of the operation (what a button without
// parameters sends), or nil when the request type is not known.
func (s OpSpec) New() Operation {
	if s.typ == nil {
		return nil
	}
	op, _ := reflect.New(s.typ).Elem().Interface().(Operation)
	return op
}

// Registry holds the operations one register knows. Each register has its
// own (there is no package-level table): NewRegistry fills one with the
// built-in operations, and extensions add theirs before the register starts.
type Registry struct {
	specs map[OpID]*OpSpec
	order []OpID // registration order
}

// NewRegistry returns a registry holding every built-in operation.
func NewRegistry() *Registry {
	g := &Registry{specs: map[OpID]*OpSpec{}}
	for _, add := range []func(*Registry){saleOps, discountOps, paymentOps, transactionOps, returnOps, customerOps, clientBookOps, loyaltyOps, valueOps, offlineCardOps, recommendOps, mailOps, sessionOps, shiftOps, cashOps, lookupOps, stockOps, docOps, orderOps, reportOps} {
		add(g)
	}
	return g
}

// builtin registers a built-in operation with its typed handler. Built-in
// specs are part of the code: a clash is a programming error.
func builtin[T Operation](g *Registry, s OpSpec, h func(r *Register, ctx context.Context, op T, a *authority) (Result, error)) {
	s.typ = reflect.TypeFor[T]()
	s.builtin = func(r *Register, ctx context.Context, op Operation, a *authority) (Result, error) {
		return h(r, ctx, op.(T), a)
	}
	if err := g.add(s); err != nil {
		panic(err)
	}
}

// perm is the usual permission of a built-in operation: its own ID.
func perm(id OpID) staff.Permission { return staff.Permission(id) }

// Add registers a custom operation (an extension's). Its ID must be
// FirstCustomOp or above and not taken, it needs a name and a handler, and
// T is its request type (an Operation whose OpID is the spec's ID).
func Add[T Operation](g *Registry, s OpSpec, h func(ctx context.Context, st State, op T) (Result, error)) error {
	if s.ID < FirstCustomOp {
		return fmt.Errorf("operation %d (%s): custom operations take IDs from %d up; lower IDs belong to the till", s.ID, s.Name, FirstCustomOp)
	}
	if h == nil {
		return fmt.Errorf("operation %d (%s): give it a handler", s.ID, s.Name)
	}
	var zero T
	if zero.OpID() != s.ID {
		return fmt.Errorf("operation %d (%s): its request type %T answers OpID %d; make them agree", s.ID, s.Name, zero, zero.OpID())
	}
	if s.Group == "" {
		s.Group = GroupCustom
	}
	s.typ = reflect.TypeFor[T]()
	s.Handler = func(ctx context.Context, st State, op Operation) (Result, error) { return h(ctx, st, op.(T)) }
	return g.add(s)
}

func (g *Registry) add(s OpSpec) error {
	if strings.TrimSpace(s.Name) == "" {
		return fmt.Errorf("operation %d has no name", s.ID)
	}
	if old, dup := g.specs[s.ID]; dup {
		return fmt.Errorf("operation %d (%s) is already registered as %q: pick another ID", s.ID, s.Name, old.Name)
	}
	if s.typ != nil && s.typ.Kind() == reflect.Struct {
		s.Params = nil
		for i := 0; i < s.typ.NumField(); i++ {
			f := s.typ.Field(i)
			if f.IsExported() {
				s.Params = append(s.Params, Param{Name: f.Name, Type: f.Type.String()})
			}
		}
	}
	cp := s
	g.specs[s.ID] = &cp
	g.order = append(g.order, s.ID)
	return nil
}

// Spec returns an operation's spec.
func (g *Registry) Spec(id OpID) (OpSpec, bool) {
	s, ok := g.specs[id]
	if !ok {
		return OpSpec{}, false
	}
	return *s, true
}

// Specs returns every operation sorted by ID.
func (g *Registry) Specs() []OpSpec {
	out := make([]OpSpec, 0, len(g.specs))
	for _, s := range g.specs {
		out = append(out, *s)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

// InGroup returns the operations of the given groups in the order they
// were registered (the order a screen lists them in).
func (g *Registry) InGroup(groups ...Group) []OpSpec {
	var out []OpSpec
	for _, id := range g.order {
		s := g.specs[id]
		for _, gr := range groups {
			if s.Group == gr {
				out = append(out, *s)
				break
			}
		}
	}
	return out
}

// Permissions lists the permissions of the operations that need one, in ID
// order: what a role that may do everything holds.
func (g *Registry) Permissions(groups ...Group) []staff.Permission {
	var specs []OpSpec
	if len(groups) == 0 {
		specs = g.Specs()
	} else {
		specs = g.InGroup(groups...)
		sort.Slice(specs, func(a, b int) bool { return specs[a].ID < specs[b].ID })
	}
	var out []staff.Permission
	for _, s := range specs {
		if s.Permission != 0 {
			out = append(out, s.Permission)
		}
	}
	return out
}
