// Package wasm runs OpenTill's Tier 2 extensions: WebAssembly modules a
// till loads at run time from its data folder (DATA/extensions/NAME/), in
// wazero's sandbox (pure Go). Each package carries a manifest — its ID,
// the operations it hooks, the capabilities it needs, its memory limit and
// per-call deadline — and the vendor's Ed25519 signature; a till loads only
// packages signed by a key its store trusts (DATA/extensions/trusted_keys).
//
// A module sees only what its manifest grants (the view is cut down before
// it is sent) and may do only what it grants (a question without prompt,
// a line without add_line, a receipt field without receipt_field is a
// failure). It imports nothing but WASI preview 1, with no files, no
// sockets, no environment. Every call runs under the manifest's deadline,
// the module closed when it passes it (an endless loop, a sleep); memory
// is capped at the manifest's limit. A module that panics, overruns or
// runs out of memory is stopped and, through the register, switched off for
// the session, journaled and reported; the operation goes on or is
// cancelled per the manifest's on_failure.
package wasm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/wasm/abi"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
)

// Options say how modules run.
type Options struct {
	// Cache keeps compiled modules, in memory or in a folder
	// (wazero.NewCompilationCacheWithDir, as the till keeps one in
	// DATA/extensions/.cache); nil = every module is compiled afresh.
	Cache wazero.CompilationCache
	// Rewritten is a folder where modules rewritten for their deadline are
	// kept by their SHA-256 (LoadDir uses DATA/extensions/.cache/rewritten),
	// so a second start skips the rewrite; "" = rewritten at every start.
	// Like the compilation cache, it is as trusted as the data folder.
	Rewritten string
}

// Module is a loaded package as an extension.
type Module struct {
	pkg    *Package
	man    *Manifest
	opt    Options
	config abi.Raw

	mu       sync.Mutex
	rt       wazero.Runtime
	compiled wazero.CompiledModule
	mod      api.Module
	alloc    api.Function
	call     api.Function
	dead     error        // set when the module was stopped: it is not called again
	deadline atomic.Int64 // unix nanos of the running call's deadline (bounds sleeps)
	stderr   *tailBuffer  // the module's last words
	policy   pos.FailPolicy

	// The running call's view, for ot_cart: the cart's JSON once marshalled
	// (noCart: there is no open transaction), and why the till stopped the
	// call from a host function.
	cur     pos.View
	cart    []byte
	noCart  bool
	hostErr error
}

// withReceipt is a module granted receipt_field.
type withReceipt struct{ *Module }

// New makes the extension of a package whose signature was checked.
func New(p *Package, opt Options) extensions.Extension {
	m := &Module{pkg: p, man: &p.Manifest, opt: opt, stderr: &tailBuffer{max: 4096}}
	m.policy, _ = pos.ParseFailPolicy(p.Manifest.OnFailure)
	if p.Manifest.Grants(ReceiptField) {
		return withReceipt{m}
	}
	return m
}

// moduleOf unwraps what New returned.
func moduleOf(e extensions.Extension) *Module {
	if w, ok := e.(withReceipt); ok {
		return w.Module
	}
	return e.(*Module)
}

// ext is the module as New returns it.
func (m *Module) ext() extensions.Extension {
	if m.man.Grants(ReceiptField) {
		return withReceipt{m}
	}
	return m
}

// ExtensionInfo describes the module.
func (m *Module) ExtensionInfo() extensions.Info {
	return extensions.Info{ID: m.man.ID, Name: m.man.Name, Version: m.man.Version, Tier: "wasm"}
}

// Stopped returns why the module was stopped, or nil while it runs.
func (m *Module) Stopped() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dead
}

// Manifest returns the module's manifest.
func (m *Module) Manifest() Manifest { return *m.man }

// Provision starts the module (compiling it first unless LoadDir did) with
// its config: the till's, else the manifest's.
func (m *Module) Provision(ctx context.Context, pc extensions.ProvisionContext) error {
	m.config = abi.Raw(m.man.Config)
	if len(pc.Config) > 0 {
		m.config = abi.Raw(pc.Config)
	}
	if m.compiled == nil {
		if err := m.compile(ctx); err != nil {
			return err
		}
	}
	if m.mod == nil {
		return m.start(ctx)
	}
	return nil
}

// start instantiates the compiled module and runs its _initialize.
func (m *Module) start(ctx context.Context) error {
	// No start function runs at instantiation: _initialize is called like
	// any other call, under a deadline.
	mc := wazero.NewModuleConfig().WithName(m.man.ID).WithStartFunctions().
		WithStderr(m.stderr).WithStdout(m.stderr).
		WithSysWalltime().WithSysNanotime().WithNanosleep(m.sleep).WithOsyield(m.yield)
	var err error
	m.mod, err = m.rt.InstantiateModule(ctx, m.compiled, mc)
	if err != nil {
		return fmt.Errorf("its module did not start: %w%s", err, m.stderr.said())
	}
	if init := m.mod.ExportedFunction("_initialize"); init != nil {
		ictx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		m.setDeadline(ictx)
		_, err := init.Call(ictx)
		if err != nil {
			if ictx.Err() != nil {
				return fmt.Errorf("its module did not start within 5 s")
			}
			return fmt.Errorf("its module did not start: %w%s", err, m.stderr.said())
		}
	}
	m.alloc, m.call = m.mod.ExportedFunction("ot_alloc"), m.mod.ExportedFunction("ot_call")
	return nil
}

// compile makes the module's runtime (its memory limit, termination on the
// deadline) and compiles its code, checking what it imports and exports.
func (m *Module) compile(ctx context.Context) error {
	err := m.compileRewritten(ctx, false)
	if errors.Is(err, errCachedRewrite) { // a damaged file in the cache: rewrite afresh
		err = m.compileRewritten(ctx, true)
	}
	return err
}

// errCachedRewrite marks a failure of a module that came from the cache of
// rewritten modules.
var errCachedRewrite = errors.New("(rewritten module from the cache)")

func (m *Module) compileRewritten(ctx context.Context, fresh bool) (err error) {
	pages := uint32(m.man.MemoryMB) * 16 // 64 KiB pages
	bin, yields, cached, err := rewritten(m.pkg.Module, m.pkg.Sum, m.opt.Rewritten, fresh)
	if err != nil {
		return fmt.Errorf("its module cannot be run with a deadline: %w", err)
	}
	defer func() {
		if err != nil && m.rt != nil {
			_ = m.rt.Close(ctx)
			m.rt = nil
			if cached {
				err = fmt.Errorf("%w %w", err, errCachedRewrite)
			}
		}
	}()
	// A module the till could not give its counter runs with wazero's own
	// check (slower, as safe).
	cfg := wazero.NewRuntimeConfig().WithMemoryLimitPages(pages).WithCloseOnContextDone(!yields).WithDebugInfoEnabled(false)
	if m.opt.Cache != nil {
		cfg = cfg.WithCompilationCache(m.opt.Cache)
	}
	m.rt = wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, m.rt); err != nil {
		return err
	}
	_, err = m.rt.NewHostModuleBuilder(abi.HostModule).NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(m.readCart), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
		Export(abi.CartImport).Instantiate(ctx)
	if err != nil {
		return err
	}
	compiled, err := m.rt.CompileModule(ctx, bin)
	if err != nil {
		return fmt.Errorf("its module is not valid WebAssembly: %w", err)
	}
	for _, f := range compiled.ImportedFunctions() {
		mod, name, _ := f.Import()
		if mod != wasi_snapshot_preview1.ModuleName && (mod != abi.HostModule || name != abi.CartImport) {
			return fmt.Errorf("its module imports %s.%s, which no manifest can grant: it may import only WASI preview 1 and %s.%s", mod, name, abi.HostModule, abi.CartImport)
		}
	}
	exp := compiled.ExportedFunctions()
	for _, name := range []string{"ot_alloc", "ot_call"} {
		if _, ok := exp[name]; !ok {
			return fmt.Errorf("its module does not export %s (build it with the guest SDK: GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared)", name)
		}
	}
	m.compiled = compiled
	return nil
}

// setDeadline bounds the module's next call by ctx's deadline.
func (m *Module) setDeadline(ctx context.Context) {
	if dl, ok := ctx.Deadline(); ok {
		m.deadline.Store(dl.UnixNano())
	} else {
		m.deadline.Store(0)
	}
}

// errDeadline ends a call whose deadline passed (raised from sched_yield,
// which the rewritten module calls every 4096 loop iterations).
var errDeadline = errors.New("the call's deadline passed")

// yield is the module's sched_yield: it ends the call past its deadline.
func (m *Module) yield() {
	if d := m.deadline.Load(); d > 0 && time.Now().UnixNano() > d {
		panic(errDeadline)
	}
}

// sleep is the module's clock_nanosleep: real time, never past the
// running call's deadline (the module is closed when it wakes up there).
func (m *Module) sleep(ns int64) {
	if d := m.deadline.Load(); d > 0 {
		if left := d - time.Now().UnixNano(); ns > left {
			ns = max(left, 0)
		}
	}
	time.Sleep(time.Duration(ns))
}

// Cleanup stops the module.
func (m *Module) Cleanup() error {
	if m.rt == nil {
		return nil
	}
	return m.rt.Close(context.Background())
}

// Hooks are the manifest's.
func (m *Module) Hooks() extensions.Hooks {
	var ops []pos.OpID
	for _, id := range append(append([]int(nil), m.man.Hooks.Pre...), m.man.Hooks.Post...) {
		if !slices.Contains(ops, pos.OpID(id)) {
			ops = append(ops, pos.OpID(id))
		}
	}
	if len(ops) == 0 { // receipt fields only: hook an operation it never sees
		ops = []pos.OpID{pos.OpSignIn}
	}
	return extensions.Hooks{Ops: ops, Policy: m.policy, Timeout: time.Duration(m.man.DeadlineMS) * time.Millisecond}
}

// PreOperation asks the module about an operation its manifest hooks.
func (m *Module) PreOperation(ctx context.Context, op pos.Operation, v pos.View) error {
	if !slices.Contains(m.man.Hooks.Pre, int(op.OpID())) {
		return nil
	}
	resp, err := m.do(ctx, abi.Request{Phase: abi.Pre, Op: opOf(op), View: m.view(v)}, v)
	if err != nil {
		return err
	}
	if len(resp.Ops) > 0 {
		return m.refused("asked for operations before the operation ran; it may only after (post)")
	}
	switch resp.Verdict {
	case abi.Go:
		return nil
	case abi.Refuse:
		if resp.Message.In("en") == "" {
			return m.refused("refused the operation without saying why")
		}
		return pos.Refuse(resp.Message)
	case abi.Ask:
		if !m.man.Grants(Prompt) {
			return m.refused("asked the operator a question, which its manifest does not grant (capability prompt)")
		}
		if resp.Panel == nil {
			return m.refused("asked without a question")
		}
		return pos.AskOperator(*resp.Panel)
	}
	return m.refused(fmt.Sprintf("answered %q, which is not a verdict", resp.Verdict))
}

// PostOperation tells the module what an operation it hooks did; the
// operations it asks for run next.
func (m *Module) PostOperation(ctx context.Context, op pos.Operation, res pos.Result, opErr error, v pos.View) ([]pos.Operation, error) {
	if !slices.Contains(m.man.Hooks.Post, int(op.OpID())) {
		return nil, nil
	}
	req := abi.Request{Phase: abi.Post, Op: opOf(op), View: m.view(v)}
	if res.Line != nil {
		l := lineOf(*res.Line)
		req.Line = &l
	}
	if opErr != nil {
		req.Error = opErr.Error()
	}
	resp, err := m.do(ctx, req, v)
	if err != nil {
		return nil, err
	}
	if resp.Verdict != abi.Go || resp.Panel != nil {
		return nil, m.refused("answered a post call with a verdict; only operations can follow an operation")
	}
	var out []pos.Operation
	for _, o := range resp.Ops {
		op, err := m.operation(o)
		if err != nil {
			return nil, err
		}
		out = append(out, op)
	}
	return out, nil
}

// operation turns an operation the module asked for into the register's,
// checking its manifest grants it.
func (m *Module) operation(o abi.Op) (pos.Operation, error) {
	var op pos.Operation
	switch pos.OpID(o.ID) {
	case pos.OpProductSale:
		var s pos.ProductSale
		if err := json.Unmarshal(orEmpty(o.Args), &s); err != nil {
			return nil, m.refused(fmt.Sprintf("asked for operation %d with arguments the till cannot read: %v", o.ID, err))
		}
		op = s
	case pos.OpReturnProduct:
		var s pos.ReturnProduct
		if err := json.Unmarshal(orEmpty(o.Args), &s); err != nil {
			return nil, m.refused(fmt.Sprintf("asked for operation %d with arguments the till cannot read: %v", o.ID, err))
		}
		op = s
	default:
		return nil, m.refused(fmt.Sprintf("asked for operation %d; a module may ask only for product sales (100) and returns (109)", o.ID))
	}
	if !m.man.Grants(AddLine) {
		return nil, m.refused(fmt.Sprintf("asked for operation %d, which its manifest does not grant (capability add_line)", o.ID))
	}
	return op, nil
}

// ReceiptLines asks the module for its receipt lines.
func (w withReceipt) ReceiptLines(ctx context.Context, c *cart.Cart, v pos.View) (pos.ReceiptLines, error) {
	done := cartOf(c, w.man.Grants(ReadCustomer))
	resp, err := w.do(ctx, abi.Request{Phase: abi.Receipt, View: w.view(v), Done: &done}, v)
	if err != nil || resp.Receipt == nil {
		return pos.ReceiptLines{}, err
	}
	return pos.ReceiptLines{Header: resp.Receipt.Header, Lines: resp.Receipt.Lines, Footer: resp.Receipt.Footer}, nil
}

// refusal is a module doing what its manifest does not allow: a failure of
// the extension (it is switched off).
type refusal struct{ id, what string }

func (r *refusal) Error() string { return fmt.Sprintf("module %s %s: refused", r.id, r.what) }

func (m *Module) refused(what string) error { return &refusal{m.man.ID, what} }

// do makes one call into the module under ctx's deadline; v is the view
// ot_cart reads.
func (m *Module) do(ctx context.Context, req abi.Request, v pos.View) (abi.Response, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dead != nil {
		return abi.Response{}, m.dead
	}
	req.Config = m.config
	m.stderr.reset()
	in, err := abi.Encode(req)
	if err != nil {
		return abi.Response{}, err
	}
	m.cur, m.cart, m.noCart, m.hostErr = v, nil, false, nil
	defer func() { m.cur, m.cart = pos.View{}, nil }()
	m.setDeadline(ctx)
	fail := func(err error) (abi.Response, error) {
		if m.hostErr != nil {
			err = m.hostErr
		} else if ctx.Err() != nil || errors.Is(err, errDeadline) || strings.Contains(err.Error(), errDeadline.Error()) {
			err = fmt.Errorf("module %s did not answer within %d ms and was stopped", m.man.ID, m.man.DeadlineMS)
		} else {
			var exit *sys.ExitError
			if errors.As(err, &exit) {
				err = fmt.Errorf("module %s stopped (exit code %d)%s", m.man.ID, exit.ExitCode(), m.stderr.said())
			} else {
				first, _, _ := strings.Cut(err.Error(), "\n") // not the wasm stack trace
				err = fmt.Errorf("module %s failed (%s)%s", m.man.ID, first, m.stderr.said())
			}
		}
		m.dead = err
		_ = m.mod.Close(context.Background())
		return abi.Response{}, err
	}
	if len(in) > math.MaxUint32 {
		return abi.Response{}, fmt.Errorf("request too large")
	}
	r, err := m.alloc.Call(ctx, uint64(len(in)))
	if err != nil {
		return fail(err)
	}
	if !m.mod.Memory().Write(uint32(r[0]), in) {
		return fail(fmt.Errorf("ot_alloc gave a buffer outside its memory"))
	}
	r, err = m.call.Call(ctx, uint64(len(in)))
	if err != nil {
		return fail(err)
	}
	ptr, n := uint32(r[0]>>32), uint32(r[0])
	out, ok := m.mod.Memory().Read(ptr, n)
	if !ok {
		return fail(fmt.Errorf("ot_call answered with a buffer outside its memory"))
	}
	var resp abi.Response
	if err := abi.Decode(out, &resp); err != nil {
		return fail(fmt.Errorf("its answer is not JSON the till reads: %w", err))
	}
	if resp.Error != "" {
		m.dead = fmt.Errorf("module %s reported a failure: %s", m.man.ID, resp.Error)
		return abi.Response{}, m.dead
	}
	return resp, nil
}

// view cuts the register's view down to what the manifest grants.
func (m *Module) view(v pos.View) abi.View {
	out := abi.View{Store: v.Store, Terminal: v.Terminal, Language: v.Language, Answers: v.Answers}
	if v.Operator != nil {
		out.Operator = &abi.Operator{ID: v.Operator.ID, Role: v.Operator.Role, Language: v.Operator.Language}
	}
	cust := m.man.Grants(ReadCustomer)
	if cust && v.Customer != nil {
		out.Customer = &abi.Customer{ID: v.Customer.ID, Name: v.Customer.Name}
	}
	if m.man.Grants(ReadCart) { // the cart only when asked (readCart)
		if p := v.Product; p != nil {
			out.Product = &abi.Product{ID: p.ID, Name: p.Name, Category: p.Category, Price: int64(p.Price)}
		}
	}
	return out
}

// readCart is the module's opentill.ot_cart(ptr, cap) -> len: the open
// transaction's JSON, written at ptr when it fits in cap bytes; -1 when
// none is open. Without read_cart the module is stopped.
func (m *Module) readCart(_ context.Context, mod api.Module, stack []uint64) {
	if !m.man.Grants(ReadCart) {
		m.hostErr = m.refused("asked for the transaction, which its manifest does not grant (capability read_cart)")
		panic(m.hostErr)
	}
	if m.cart == nil && !m.noCart {
		c := m.cur.Cart()
		if c == nil {
			m.noCart = true
		} else {
			b, err := abi.Encode(cartOf(c, m.man.Grants(ReadCustomer)))
			if err != nil {
				m.hostErr = err
				panic(err)
			}
			m.cart = b
		}
	}
	if m.noCart {
		stack[0] = api.EncodeI32(-1)
		return
	}
	ptr, size := api.DecodeU32(stack[0]), api.DecodeU32(stack[1])
	if len(m.cart) <= int(size) && !mod.Memory().Write(ptr, m.cart) {
		m.hostErr = m.refused("asked for the transaction into a buffer outside its memory")
		panic(m.hostErr)
	}
	stack[0] = api.EncodeI32(int32(len(m.cart)))
}

func cartOf(c *cart.Cart, customer bool) abi.Cart {
	out := abi.Cart{ID: c.ID, Currency: c.Currency.Code, Total: int64(c.Totals.Total), Status: string(c.Status), Lines: make([]abi.Line, len(c.Lines))}
	for i, l := range c.Lines {
		out.Lines[i] = lineOf(l)
	}
	if customer {
		out.Customer = c.Customer
	}
	return out
}

func lineOf(l cart.Line) abi.Line {
	return abi.Line{No: l.No, ProductID: l.ProductID, Name: l.Name, Category: l.Category, Qty: int64(l.Qty), UnitPrice: int64(l.UnitPrice), Net: int64(l.Net), Voided: l.Voided}
}

func opOf(op pos.Operation) *abi.Op {
	b, err := json.Marshal(op)
	if err != nil {
		b = nil
	}
	return &abi.Op{ID: int(op.OpID()), Args: b}
}

func orEmpty(b abi.Raw) []byte {
	if len(b) == 0 {
		return json.RawMessage("{}")
	}
	return b
}

// tailBuffer keeps the first max bytes a module wrote to stderr or stdout
// during the call running now (a Go guest's crash says why first).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if room := t.max - len(t.b); room > 0 {
		t.b = append(t.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (t *tailBuffer) reset() {
	t.mu.Lock()
	t.b = t.b[:0]
	t.mu.Unlock()
}

// said is what the module last wrote, as ": …" (its first lines).
func (t *tailBuffer) said() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.b))
	if s == "" {
		return ""
	}
	lines := strings.SplitN(s, "\n", 3)
	return ": " + strings.Join(lines[:min(2, len(lines))], " / ")
}

// Interface guards.
var (
	_ extensions.Provisioner    = (*Module)(nil)
	_ extensions.CleanerUpper   = (*Module)(nil)
	_ extensions.Hooked         = (*Module)(nil)
	_ extensions.PreTrigger     = (*Module)(nil)
	_ extensions.PostTrigger    = (*Module)(nil)
	_ extensions.ReceiptFielder = withReceipt{}
)
