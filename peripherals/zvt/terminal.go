package zvt

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/tender"
)

// DefaultPort is the TCP port ZVT terminals listen on.
const DefaultPort = 20007

// Message keys of card errors.
const (
	KeyDeclined  = "error.card.declined"
	KeyCancelled = "error.card.cancelled"
	KeyTimeout   = "error.card.timeout"
	KeyFailed    = "error.card.failed"  // the terminal booked nothing
	KeyUnknown   = "error.card.unknown" // the terminal has not said whether it booked
	KeyVoid      = "error.card.void_failed"
	KeyAmount    = "error.card.amount"
)

// Config configures a Terminal.
type Config struct {
	Password string         // the terminal's six-digit password; "000000" when empty
	Currency money.Currency // of every amount; EUR when empty
	// Money formats an amount for the messages the till shows (the store's
	// locale: "12,34 €"); nil = the plain decimal.
	Money  func(money.Amount) string
	Serial bool // frame APDUs for a serial line
	// AckTimeout is T3: the terminal acknowledges a command (80 00 00)
	// within it; 5 s when 0.
	AckTimeout time.Duration
	// Timeout is the longest silence of the terminal while it is master
	// (card reading, PIN, host); each message starts it again, and an
	// intermediate status that names a longer timeout extends it. Then the
	// till sends abort (06 B0). 180 s when 0.
	Timeout time.Duration
	// AbortGrace is how long the terminal has to answer an abort (06 B0)
	// with its 06 1E; 15 s when 0.
	AbortGrace time.Duration
	// RecoverTimeout bounds the search for the result of a reply that was
	// lost (status enquiry, then the terminal's last transaction); 60 s
	// when 0.
	RecoverTimeout time.Duration
	// OnStatus receives the terminal's intermediate status texts ("insert
	// card"), from the goroutine of the payment.
	OnStatus func(text string)
	// PendingPath is the file that keeps a card payment whose outcome is not
	// known yet across a restart of the till (pending.go); "" keeps it in
	// memory only.
	PendingPath string
}

func (c Config) withDefaults() Config {
	if c.Password == "" {
		c.Password = "000000"
	}
	if c.Currency.Code == "" {
		c.Currency = money.EUR
	}
	if c.AckTimeout == 0 {
		c.AckTimeout = 5 * time.Second
	}
	if c.Timeout == 0 {
		c.Timeout = 180 * time.Second
	}
	if c.AbortGrace == 0 {
		c.AbortGrace = 15 * time.Second
	}
	if c.RecoverTimeout == 0 {
		c.RecoverTimeout = 60 * time.Second
	}
	return c
}

// Terminal is a ZVT payment terminal on a transport.Link (TCP port 20007 or
// a serial line).
type Terminal struct {
	link     *transport.Link
	cfg      Config
	password []byte
	currency uint16

	cancel atomic.Bool // Cancel asked for an abort of the command in progress

	mu         sync.Mutex
	registered bool
	byRef      map[string]tender.Approval // idempotency: one approval per request reference
	amounts    map[string]money.Amount    // authorised amount by terminal reference
	voided     map[string]bool
	lastTrace  uint32
	traceKnown bool
	pending    *attempt // a payment whose outcome the terminal has not told
	receipt    []string // the terminal's receipt lines of the last command
}

var _ peripherals.PaymentTerminal = (*Terminal)(nil)

// attempt is a payment sent to the terminal whose outcome is unknown.
type attempt struct {
	ref        string
	cmd        uint16
	amount     money.Amount
	started    time.Time
	lastTrace  uint32
	traceKnown bool
}

// New returns a terminal on link.
func New(link *transport.Link, cfg Config) (*Terminal, error) {
	cfg = cfg.withDefaults()
	pw, err := strconv.ParseUint(cfg.Password, 10, 32)
	if err != nil || len(cfg.Password) != 6 {
		return nil, fmt.Errorf("ZVT password %q: give the terminal's six digits", cfg.Password)
	}
	cc, err := CurrencyCode(cfg.Currency)
	if err != nil {
		return nil, err
	}
	t := &Terminal{link: link, cfg: cfg, password: BCD(pw, 3), currency: cc,
		byRef: map[string]tender.Approval{}, amounts: map[string]money.Amount{}, voided: map[string]bool{}}
	if cfg.PendingPath != "" {
		p, err := loadPending(cfg.PendingPath)
		if err != nil {
			return nil, err
		}
		t.pending = p // settled before the next card payment
	}
	return t, nil
}

// Close closes the port.
func (t *Terminal) Close() error { return t.link.Close() }

// Receipt returns the receipt lines the terminal sent for the last
// command (for payments they are also in the Approval).
func (t *Terminal) Receipt() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.receipt...)
}

// dialog is what happened in one command exchange.
type dialog struct {
	sent      bool // the command was written whole
	acked     bool // the terminal took it (80 00 00)
	nak       byte // the terminal refused it (84 nak 00)
	refused   bool
	status    *Status
	lines     []string
	completed bool   // 06 0F
	data      []byte // of the completion
	aborted   bool   // 06 1E
	abortCode byte
	abortSent bool  // the till asked for an abort (06 B0)
	lost      error // the exchange broke after the command was sent
}

// exchange sends a command and plays the ECR's part while the terminal is
// master, until its completion or abort. The error is for a command that
// could not be sent; a broken exchange afterwards is d.lost.
func (t *Terminal) exchange(ctx context.Context, cmd APDU) (dialog, error) {
	var d dialog
	t.cancel.Store(false)
	err := t.link.Do(ctx, func(c transport.Conn) error {
		w := NewWire(c, t.cfg.Serial)
		if err := w.Send(cmd); err != nil {
			return err
		}
		d.sent = true
		if err := t.play(ctx, w, &d); err != nil {
			d.lost = err
			t.link.Discard(c) // the stream is in an unknown state: start afresh
		}
		return nil
	})
	if err != nil {
		return d, err
	}
	t.mu.Lock()
	t.receipt = d.lines
	if d.status != nil && d.status.Trace != 0 {
		t.lastTrace, t.traceKnown = d.status.Trace, true
	}
	t.mu.Unlock()
	return d, nil
}

func (t *Terminal) play(ctx context.Context, w *Wire, d *dialog) error {
	ack, err := w.Recv(t.cfg.AckTimeout, nil)
	if err != nil {
		return fmt.Errorf("no acknowledgement within %s: %w", t.cfg.AckTimeout, err)
	}
	switch {
	case ack.IsNak():
		d.refused, d.nak = true, ack.Instr
		return nil
	case !ack.IsAck():
		return fmt.Errorf("the terminal answered %s instead of acknowledging", ack)
	}
	d.acked = true
	wait := t.cfg.Timeout
	var tickErr error
	tick := func() time.Duration {
		if d.abortSent || (ctx.Err() == nil && !t.cancel.Load()) {
			return 0
		}
		d.abortSent = true
		tickErr = w.Send(NewAPDU(CmdAbort, nil))
		wait = t.cfg.AbortGrace
		return wait
	}
	for {
		a, err := w.Recv(wait, tick)
		if tickErr != nil {
			return tickErr
		}
		if err != nil {
			if !d.abortSent && errors.Is(err, errSilent) {
				// The terminal went quiet: ask it to abort, and wait for its
				// answer a while longer.
				d.abortSent, wait = true, t.cfg.AbortGrace
				if err := w.Send(NewAPDU(CmdAbort, nil)); err != nil {
					return err
				}
				continue
			}
			return err
		}
		reply := Ack
		switch a.Command() {
		case uint16(AckClass) << 8:
			continue // the terminal's acknowledgement of our abort
		case CmdIntermediate:
			if len(a.Data) > 0 && t.cfg.OnStatus != nil {
				t.cfg.OnStatus(IntermediateText(a.Data[0]))
			}
			if !d.abortSent {
				// The terminal may name how long to wait for its next
				// message: the till waits the longer of that and Timeout.
				wait = t.cfg.Timeout
				if len(a.Data) > 1 {
					wait = max(wait, time.Duration(a.Data[1])*time.Second)
				}
			}
		case CmdPrintLine:
			if len(a.Data) > 0 {
				d.lines = append(d.lines, text(a.Data[1:]))
			}
		case CmdPrintTextBlock:
			d.lines = append(d.lines, textBlock(a.Data)...)
		case CmdStatusInfo:
			st, err := ParseStatus(a.Data)
			if err != nil {
				return fmt.Errorf("the terminal's status information cannot be read: %w", err)
			}
			d.status = &st
		case CmdCompletion:
			d.completed, d.data = true, a.Data
		case CmdTerminalAbort:
			d.aborted, d.abortCode = true, 0x6c
			if len(a.Data) > 0 {
				d.abortCode = a.Data[0]
			}
		case CmdSetDateTime:
		default:
			reply = NotSupported
		}
		if err := w.SendRaw(reply); err != nil {
			return err
		}
		if d.completed || d.aborted {
			return nil
		}
	}
}

// textBlock reads the lines of a print text block (06 D3): TLV tag 25
// (print texts) holding tag 07 lines.
func textBlock(data []byte) []string {
	fs, err := ParseFields(data)
	if err != nil {
		return nil
	}
	tlv, _ := fs.Get(BMPTLV)
	objs, err := ParseTLV(tlv)
	if err != nil {
		return nil
	}
	var lines []string
	for _, o := range objs {
		if o.Tag != 0x25 {
			continue
		}
		inner, err := ParseTLV(o.Value)
		if err != nil {
			continue
		}
		for _, l := range inner {
			if l.Tag == 0x07 {
				lines = append(lines, text(l.Value))
			}
		}
	}
	return lines
}

// Register logs the till on (06 00): the till prints the receipts the
// terminal sends line by line, wants intermediate status, and controls
// payments and administration; the service menu on the terminal's function
// key is off.
func (t *Terminal) Register(ctx context.Context) error {
	data := append([]byte(nil), t.password...)
	data = append(data, RegistrationConfig)
	data = append(data, BCD(uint64(t.currency), 2)...)
	data = append(data, BMPServiceByte, 0x01)
	d, err := t.exchange(ctx, NewAPDU(CmdRegistration, data))
	if err := t.adminErr("registration", d, err); err != nil {
		return err
	}
	t.mu.Lock()
	t.registered = true
	t.mu.Unlock()
	return nil
}

// RegistrationConfig is the config byte of 06 00: the ECR prints payment
// and administration receipts (bits 1, 2), wants intermediate status (3),
// controls payment and administration (4, 5), and gets the receipts as
// print lines (7) — the bits as Portalum.Zvt's RegistrationConfig sets them.
const RegistrationConfig byte = 0x02 | 0x04 | 0x08 | 0x10 | 0x20 | 0x80

func (t *Terminal) ensureRegistered(ctx context.Context) error {
	t.mu.Lock()
	ok := t.registered
	t.mu.Unlock()
	if ok {
		return nil
	}
	return t.Register(ctx)
}

// adminErr turns the outcome of an administrative command into an error.
func (t *Terminal) adminErr(what string, d dialog, err error) error {
	switch {
	case err != nil:
		return notReached(err)
	case d.refused:
		return poserr.E(poserr.Device, KeyFailed, "the payment terminal refused the %s: %s", what, ResultText(d.nak))
	case d.aborted:
		return poserr.E(poserr.Device, KeyFailed, "the payment terminal aborted the %s: %s", what, ResultText(d.abortCode))
	case d.lost != nil:
		return poserr.Wrap(d.lost, poserr.Device, KeyTimeout, "the payment terminal stopped answering during the %s: check it and try again", what)
	}
	return nil
}

func notReached(err error) error {
	return poserr.Wrap(err, poserr.Device, KeyTimeout, "the payment terminal is not reachable (nothing was charged): check its power and network cable, then try again")
}

// StatusEnquiry asks the terminal whether it is ready (05 01).
func (t *Terminal) StatusEnquiry(ctx context.Context) error {
	d, err := t.exchange(ctx, NewAPDU(CmdStatusEnquiry, nil))
	return t.adminErr("status enquiry", d, err)
}

// EndOfDay closes the terminal's batch (06 50) and returns its total and
// receipt.
func (t *Terminal) EndOfDay(ctx context.Context) (money.Amount, []string, error) {
	if err := t.ensureRegistered(ctx); err != nil {
		return 0, nil, err
	}
	d, err := t.exchange(ctx, NewAPDU(CmdEndOfDay, append([]byte(nil), t.password...)))
	if err := t.adminErr("end-of-day", d, err); err != nil {
		return 0, d.lines, err
	}
	var total money.Amount
	if d.status != nil {
		total = d.status.Amount
	}
	return total, d.lines, nil
}

// Authorize takes a card payment (06 01).
func (t *Terminal) Authorize(ctx context.Context, r tender.Request) (tender.Approval, error) {
	return t.pay(ctx, r, CmdAuthorization)
}

// Refund pays money back to a card (06 31).
func (t *Terminal) Refund(ctx context.Context, r tender.Request) (tender.Approval, error) {
	return t.pay(ctx, r, CmdRefund)
}

func (t *Terminal) pay(ctx context.Context, r tender.Request, cmd uint16) (_ tender.Approval, err error) {
	if r.Amount <= 0 {
		return tender.Approval{}, poserr.E(poserr.Invalid, KeyAmount, "the terminal needs a positive amount")
	}
	if r.Currency.Code != "" && r.Currency.Code != t.cfg.Currency.Code {
		return tender.Approval{}, poserr.E(poserr.Invalid, KeyAmount, "the terminal is set up for %s, not %s: set currency in the hardware profile", t.cfg.Currency.Code, r.Currency.Code)
	}
	t.mu.Lock()
	ap, done := t.byRef[r.Reference]
	t.mu.Unlock()
	if done && r.Reference != "" {
		return ap, nil
	}
	if ap, ok, err := t.settlePending(ctx, r.Reference); err != nil || ok {
		return ap, err
	}
	if err := t.ensureRegistered(ctx); err != nil {
		return tender.Approval{}, err
	}
	data, _ := AppendField(nil, BMPAmount, BCD(uint64(r.Amount), 6))
	if cmd == CmdRefund {
		data = append(append([]byte(nil), t.password...), data...)
	} else {
		data, _ = AppendField(data, BMPCurrency, BCD(uint64(t.currency), 2))
	}
	t.mu.Lock()
	at := &attempt{ref: r.Reference, cmd: cmd, amount: r.Amount, started: time.Now(), lastTrace: t.lastTrace, traceKnown: t.traceKnown}
	t.mu.Unlock()
	if path := t.cfg.PendingPath; path != "" {
		// Recorded before it is sent: a till that stops before the answer
		// settles the payment when it starts again (pending.go).
		if err := savePending(path, at); err != nil {
			return tender.Approval{}, poserr.Wrap(err, poserr.Device, KeyFailed,
				"the till cannot record the card payment before sending it, so it did not send it (nothing was charged): check that the data folder is writable and has space, then try again")
		}
		defer func() {
			t.mu.Lock()
			unsettled := t.pending != nil
			t.mu.Unlock()
			if unsettled {
				return // the file stays for whoever settles it
			}
			if cerr := clearPending(path); cerr != nil && err == nil {
				err = poserr.Wrap(cerr, poserr.Device, KeyFailed, "the card payment went through but the till could not clear its record of it in %s: delete that file before the next card payment", path)
			}
		}()
	}
	d, err := t.exchange(ctx, NewAPDU(cmd, data))
	if err == nil && d.refused && d.nak == 0x6b {
		// "Function deactivated: terminal not registered": register, then
		// once more.
		t.mu.Lock()
		t.registered = false
		t.mu.Unlock()
		if rerr := t.ensureRegistered(ctx); rerr != nil {
			return tender.Approval{}, rerr
		}
		d, err = t.exchange(ctx, NewAPDU(cmd, data))
	}
	switch {
	case err != nil && !d.sent:
		return tender.Approval{}, notReached(err)
	case d.refused:
		return tender.Approval{}, poserr.E(poserr.Device, KeyFailed, "the payment terminal refused the payment (nothing was charged): %s", ResultText(d.nak))
	case d.status != nil && d.status.Result == 0 && d.status.Amount == r.Amount:
		// Approved: the status-information says so, even if the completion
		// was lost after it.
		return t.approve(r.Reference, *d.status, d.lines), nil
	case d.status != nil && d.status.Result == 0:
		// Approved for another amount (a partial approval): the sale cannot
		// take it, so it is reversed.
		ap := t.approve("", *d.status, d.lines)
		msg := "the payment terminal approved %s instead of %s, and the till reversed it: take the payment again"
		if err := t.Void(context.WithoutCancel(ctx), ap.Reference); err != nil && !errors.Is(err, tender.ErrAlreadyVoided) {
			msg = "the payment terminal approved %s instead of %s and reversing it failed: reverse it at the terminal, then take the payment again"
		}
		return tender.Approval{}, poserr.E(poserr.Device, KeyFailed, msg,
			t.money(d.status.Amount), t.money(r.Amount))
	case d.status != nil && d.status.Result != 0:
		return tender.Approval{}, declined(d.status.Result)
	case d.aborted && d.abortSent && d.abortCode == 0x6c:
		if ctx.Err() != nil || t.cancel.Load() {
			return tender.Approval{}, poserr.E(poserr.Device, KeyCancelled, "the card payment was cancelled")
		}
		return tender.Approval{}, poserr.E(poserr.Device, KeyTimeout, "the payment terminal did not finish in time and aborted the payment (nothing was charged): try again")
	case d.aborted:
		return tender.Approval{}, declined(d.abortCode)
	}
	// The terminal took the payment and then its answer was lost (or came
	// without a status-information): ask it what happened.
	t.mu.Lock()
	t.pending = at
	t.mu.Unlock()
	if ap, ok, err := t.settlePending(context.WithoutCancel(ctx), r.Reference); err != nil || ok {
		return ap, err
	}
	return tender.Approval{}, poserr.E(poserr.Device, KeyFailed, "the payment terminal booked nothing (its last transaction is another one): take the payment again")
}

func declined(code byte) error {
	e := poserr.E(poserr.Device, KeyDeclined, "the card was declined (%s): ask for another payment method", ResultText(code))
	e.Args = map[string]any{"code": fmt.Sprintf("%02X", code)}
	if code == 0x6c {
		e = poserr.E(poserr.Device, KeyCancelled, "the card payment was aborted at the terminal (%s)", ResultText(code))
	}
	return e
}

// approve records an approval and returns it.
func (t *Terminal) approve(ref string, st Status, lines []string) tender.Approval {
	ap := tender.Approval{
		MaskedPAN: st.PAN,
		Brand:     st.Brand(),
		AuthCode:  st.AuthCode,
		Reference: Reference(st),
		Receipt:   append([]string(nil), lines...),
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if ref != "" {
		t.byRef[ref] = ap
	}
	t.amounts[ap.Reference] = st.Amount
	return ap
}

// Reference is the terminal reference of a transaction:
// "ZVT-<terminal ID>-<receipt number>-<trace number>". The receipt number
// is what a reversal names.
func Reference(st Status) string {
	return fmt.Sprintf("ZVT-%s-%04d-%06d", st.TerminalID, st.Receipt, st.Trace)
}

// receiptOf reads the receipt number out of a terminal reference.
func receiptOf(ref string) (uint16, bool) {
	parts := strings.Split(ref, "-")
	if len(parts) != 4 || parts[0] != "ZVT" {
		return 0, false
	}
	n, err := strconv.ParseUint(parts[2], 10, 16)
	return uint16(n), err == nil
}

// settlePending finds out what became of a payment whose answer was lost,
// before anything else is charged. For the same request reference its
// approval is the answer (ok); an approval for another reference is a
// charge the till never recorded, so it is reversed; a payment the
// terminal never booked is forgotten. While the terminal cannot tell, no
// new payment starts: the error says to check the terminal.
func (t *Terminal) settlePending(ctx context.Context, ref string) (tender.Approval, bool, error) {
	t.mu.Lock()
	p := t.pending
	t.mu.Unlock()
	if p == nil {
		return tender.Approval{}, false, nil
	}
	st, lines, booked, err := t.resolve(ctx, p)
	if err != nil {
		e := poserr.Wrap(err, poserr.Device, KeyUnknown,
			"the payment terminal has not said whether the card payment of %s went through: do not take the card again; check the terminal (its last receipt) — the till asks it again before the next card payment",
			t.money(p.amount))
		e.Args = map[string]any{"amount": t.money(p.amount)}
		return tender.Approval{}, false, e
	}
	t.mu.Lock()
	t.pending = nil
	t.mu.Unlock()
	if path := t.cfg.PendingPath; path != "" {
		if err := clearPending(path); err != nil {
			t.mu.Lock()
			t.pending = p // settled, but the record stays: ask again rather than forget it
			t.mu.Unlock()
			return tender.Approval{}, false, poserr.Wrap(err, poserr.Device, KeyUnknown,
				"the till found out what became of the card payment of %s but cannot clear its record in %s: check that the data folder is writable",
				t.money(p.amount), path)
		}
	}
	if !booked {
		return tender.Approval{}, false, nil
	}
	ap := t.approve(p.ref, st, lines)
	if p.ref == ref {
		return ap, true, nil
	}
	// An approval nobody recorded: the customer must not pay for it.
	if err := t.Void(ctx, ap.Reference); err != nil && !errors.Is(err, tender.ErrAlreadyVoided) {
		return tender.Approval{}, false, poserr.Wrap(err, poserr.Device, KeyVoid,
			"an earlier card payment of %s went through without the till recording it, and reversing it failed: reverse receipt %04d at the terminal",
			t.money(p.amount), st.Receipt)
	}
	return tender.Approval{}, false, nil
}

// resolve asks the terminal, until RecoverTimeout, whether a payment was
// booked: a status enquiry (is it idle again?), then the status of its
// last transaction (repeat receipt, 06 20). The last transaction is the
// payment when it is approved for the same amount and is newer than the
// last one the till saw (by trace number, or by the terminal's clock when
// the till saw none).
func (t *Terminal) resolve(ctx context.Context, p *attempt) (Status, []string, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, t.cfg.RecoverTimeout)
	defer cancel()
	var last error
	for {
		d, err := t.exchange(ctx, NewAPDU(CmdStatusEnquiry, nil))
		if err == nil && d.lost == nil && !d.refused && !d.aborted {
			d, err = t.exchange(ctx, NewAPDU(CmdRepeatReceipt, append([]byte(nil), t.password...)))
			switch {
			case err == nil && d.refused && d.nak == 0x83:
				return Status{}, nil, false, errors.New("the terminal cannot repeat its last receipt (command not supported)")
			case err == nil && d.lost == nil && (d.completed || d.aborted):
				if d.status == nil || d.aborted {
					return Status{}, nil, false, nil // no last transaction
				}
				st := *d.status
				if st.Result != 0 || st.Amount != p.amount {
					return st, d.lines, false, nil
				}
				switch {
				case p.traceKnown && st.Trace != p.lastTrace:
					return st, d.lines, true, nil
				case p.traceKnown:
					return st, d.lines, false, nil
				case recent(st, p.started):
					return st, d.lines, true, nil
				}
				return Status{}, nil, false, errors.New("the terminal's last transaction has the amount, but neither its trace number nor its time tells whether it is this payment")
			}
		}
		last = errors.Join(err, d.lost)
		if last == nil {
			last = errors.New("the terminal did not complete the enquiry")
		}
		select {
		case <-ctx.Done():
			return Status{}, nil, false, fmt.Errorf("%w (last: %v)", ctx.Err(), last)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// recent reports whether the terminal's clock puts a transaction after
// started (two minutes of clock difference allowed).
func recent(st Status, started time.Time) bool {
	if len(st.Time) != 6 || len(st.Date) != 4 {
		return false
	}
	at, err := time.ParseInLocation("0102150405", st.Date+st.Time, started.Location())
	if err != nil {
		return false
	}
	at = at.AddDate(started.Year(), 0, 0)
	if at.After(started.AddDate(0, 6, 0)) { // the year turned between the two
		at = at.AddDate(-1, 0, 0)
	}
	return !at.Before(started.Add(-2*time.Minute)) && !at.After(time.Now().Add(2*time.Minute))
}

// Void reverses an approved payment by its terminal reference (06 30 with
// its receipt number). A payment reversed before answers an error wrapping
// tender.ErrAlreadyVoided.
func (t *Terminal) Void(ctx context.Context, ref string) error {
	receipt, ok := receiptOf(ref)
	if !ok {
		return poserr.E(poserr.NotFound, "error.card.unknown_reference", "%q is not a reference of this ZVT terminal", ref)
	}
	t.mu.Lock()
	already := t.voided[ref]
	t.mu.Unlock()
	if already {
		return poserr.Sentinel(tender.ErrAlreadyVoided, poserr.Conflict, "error.card.voided", "payment %s was voided before", ref)
	}
	if err := t.ensureRegistered(ctx); err != nil {
		return err
	}
	data := append([]byte(nil), t.password...)
	data, _ = AppendField(data, BMPReceipt, BCD(uint64(receipt), 2))
	d, err := t.exchange(ctx, NewAPDU(CmdReversal, data))
	code := byte(0)
	switch {
	case err != nil:
		return poserr.Wrap(err, poserr.Device, KeyVoid, "the payment terminal is not reachable to void %s: check it; the till retries the void", ref)
	case d.refused:
		code = d.nak
	case d.status != nil && d.status.Result != 0:
		code = d.status.Result
	case d.aborted:
		code = d.abortCode
	case d.lost != nil || !d.completed:
		return poserr.Wrap(d.lost, poserr.Device, KeyVoid, "the payment terminal stopped answering while voiding %s: the till retries the void", ref)
	}
	switch code {
	case 0:
		t.mu.Lock()
		t.voided[ref] = true
		t.mu.Unlock()
		return nil
	case 0xb4:
		t.mu.Lock()
		t.voided[ref] = true
		t.mu.Unlock()
		return poserr.Sentinel(tender.ErrAlreadyVoided, poserr.Conflict, "error.card.voided", "payment %s was reversed at the terminal before", ref)
	}
	return poserr.E(poserr.Device, KeyVoid, "the payment terminal did not void %s (%s): reverse it at the terminal", ref, ResultText(code))
}

// Capture completes an authorisation. A ZVT authorisation books the
// amount at once, so capture only confirms the amount authorised.
func (t *Terminal) Capture(ctx context.Context, ref string, amount money.Amount) (tender.Approval, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	authorised, ok := t.amounts[ref]
	switch {
	case !ok:
		return tender.Approval{}, poserr.E(poserr.NotFound, "error.card.unknown_reference", "the terminal knows no payment %s", ref)
	case t.voided[ref]:
		return tender.Approval{}, poserr.E(poserr.Conflict, "error.card.voided", "payment %s was voided and cannot be captured", ref)
	case amount != authorised:
		return tender.Approval{}, poserr.E(poserr.Invalid, KeyAmount, "a ZVT payment books %s at authorisation; to charge %s, void it and take the card again",
			t.money(authorised), t.money(amount))
	}
	for _, ap := range t.byRef {
		if ap.Reference == ref {
			return ap, nil
		}
	}
	return tender.Approval{Reference: ref}, nil
}

// Cancel asks the terminal to abort the command in progress (06 B0); the
// payment then fails as cancelled unless the terminal already booked it.
func (t *Terminal) Cancel(ctx context.Context) error {
	t.cancel.Store(true)
	return nil
}

// money formats an amount for a message: the store's locale when the
// till set Config.Money.
func (t *Terminal) money(a money.Amount) string {
	if t.cfg.Money != nil {
		return t.cfg.Money(a)
	}
	return a.Format(t.cfg.Currency.Digits)
}
