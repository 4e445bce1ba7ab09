// Package zvtsim is a ZVT payment terminal simulator: it listens on a
// loopback TCP port (or serves a serial pty) and answers the till with the
// bytes a terminal sends — acknowledgement, intermediate status,
// status-information with a masked card number, receipt lines,
// completion or abort. It approves, declines, times out, sees the card
// pulled out, or books a payment and then drops the connection before
// answering (a lost reply), as it is told. Tests and the demo profile
// (driver "zvt-simulator") use it.
package zvtsim

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/opentill/opentill/peripherals/zvt"
	"github.com/opentill/opentill/pos/money"
)

// Outcome is what the simulator does with the next payment.
type Outcome int

// Outcomes.
const (
	Approve     Outcome = iota
	Decline             // the issuer declines (result code 05)
	Timeout             // the customer never presents a card: silence until the till aborts
	CardRemoved         // the card is pulled out early (abort 66)
	LostReply           // the payment is booked, then the connection drops before the answer
)

// ParseOutcome reads "approve", "decline", "timeout", "card-removed" or
// "lost-reply".
func ParseOutcome(s string) (Outcome, error) {
	switch s {
	case "approve", "":
		return Approve, nil
	case "decline":
		return Decline, nil
	case "timeout":
		return Timeout, nil
	case "card-removed":
		return CardRemoved, nil
	case "lost-reply":
		return LostReply, nil
	}
	return 0, fmt.Errorf("unknown ZVT simulator outcome %q: use approve, decline, timeout, card-removed or lost-reply", s)
}

// Tx is a transaction the simulator booked.
type Tx struct {
	Kind     uint16 // zvt.CmdAuthorization, CmdRefund or CmdReversal
	Amount   money.Amount
	Trace    uint32
	Receipt  uint16
	At       time.Time
	Reversed bool
	Of       uint16 // a reversal: the receipt number reversed
}

// Sim is the simulator. Start it with Listen or Serve.
type Sim struct {
	TerminalID string        // "52500038" when empty
	Delay      time.Duration // card processing time
	Serial     bool          // frame APDUs for a serial line (Serve on a pty)
	// WaitHint is the timeout the intermediate status "insert card" names,
	// in seconds; 30 when 0.
	WaitHint byte
	// OnBooked, when set, is called with every transaction booked, before
	// the answer goes out.
	OnBooked func(Tx)

	mu       sync.Mutex
	mode     Outcome
	queue    []Outcome
	trace    uint32
	receipt  uint16
	txs      []*Tx
	last     *Tx
	received [][]byte
	ln       net.Listener
	conns    map[io.Closer]bool
	wg       sync.WaitGroup
	closed   bool
	down     bool
}

// SetDown makes the terminal unreachable (it drops every connection) or
// reachable again.
func (s *Sim) SetDown(down bool) {
	s.mu.Lock()
	s.down = down
	var open []io.Closer
	if down {
		for c := range s.conns {
			open = append(open, c)
		}
	}
	s.mu.Unlock()
	for _, c := range open {
		_ = c.Close()
	}
}

// New returns a simulator that approves.
func New() *Sim { return &Sim{TerminalID: "52500038", conns: map[io.Closer]bool{}} }

// Listen starts serving TCP on addr ("127.0.0.1:0" for any free port).
func (s *Sim) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("the ZVT simulator cannot listen on %s: %w", addr, err)
	}
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.Serve(c)
			}()
		}
	}()
	return nil
}

// Addr is the address Listen serves.
func (s *Sim) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close stops listening and drops every connection.
func (s *Sim) Close() error {
	s.mu.Lock()
	s.closed = true
	if s.ln != nil {
		_ = s.ln.Close()
	}
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// SetMode sets what happens to every payment from now on.
func (s *Sim) SetMode(o Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = o
}

// Queue sets outcomes for the next payments, before the mode applies again.
func (s *Sim) Queue(o ...Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, o...)
}

func (s *Sim) next() Outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) > 0 {
		o := s.queue[0]
		s.queue = s.queue[1:]
		return o
	}
	return s.mode
}

// Transactions are the transactions booked, oldest first.
func (s *Sim) Transactions() []Tx {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Tx, len(s.txs))
	for i, t := range s.txs {
		out[i] = *t
	}
	return out
}

// Charged is the money the simulated card holders paid: payments not
// reversed, less refunds.
func (s *Sim) Charged() money.Amount {
	var sum money.Amount
	for _, t := range s.Transactions() {
		switch {
		case t.Kind == zvt.CmdAuthorization && !t.Reversed:
			sum += t.Amount
		case t.Kind == zvt.CmdRefund && !t.Reversed:
			sum -= t.Amount
		}
	}
	return sum
}

// Received returns every APDU the till sent, encoded, its
// acknowledgements included.
func (s *Sim) Received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.received...)
}

// Serve plays the terminal on one connection until it closes.
func (s *Sim) Serve(c io.ReadWriteCloser) {
	s.mu.Lock()
	if s.closed || s.down {
		s.mu.Unlock()
		_ = c.Close()
		return
	}
	s.conns[c] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		_ = c.Close()
	}()
	p := &peer{s: s, w: zvt.NewWire(c, s.Serial), c: c}
	for {
		a, err := p.recv(time.Hour)
		if err != nil {
			return
		}
		if err := p.handle(a); err != nil {
			return
		}
	}
}

// peer is one connection to the till.
type peer struct {
	s *Sim
	w *zvt.Wire
	c io.Closer
}

var errAborted = errors.New("the till aborted")

// recv reads the till's next APDU and keeps it for Received.
func (p *peer) recv(d time.Duration) (zvt.APDU, error) {
	a, err := p.w.Recv(d, nil)
	if err == nil {
		p.s.mu.Lock()
		p.s.received = append(p.s.received, a.Marshal())
		p.s.mu.Unlock()
	}
	return a, err
}

// send sends a message while the simulator is master and waits for the
// till's acknowledgement; an abort (06 B0) instead is errAborted.
func (p *peer) send(a zvt.APDU) error {
	if err := p.w.Send(a); err != nil {
		return err
	}
	for {
		ack, err := p.recv(10 * time.Second)
		if err != nil {
			return err
		}
		switch {
		case ack.Command() == zvt.CmdAbort:
			return errAborted
		case ack.IsAck(), ack.IsNak():
			return nil
		}
	}
}

// wait lets d pass, or returns errAborted when the till aborts.
func (p *peer) wait(d time.Duration) error {
	if d <= 0 {
		return nil
	}
	a, err := p.recv(d)
	switch {
	case err == nil && a.Command() == zvt.CmdAbort:
		return errAborted
	case err == nil, errors.Is(err, os.ErrDeadlineExceeded):
		return nil
	}
	return err
}

// aborted answers the till's abort: acknowledgement, then 06 1E 6C.
func (p *peer) aborted() error {
	if err := p.w.SendRaw(zvt.Ack); err != nil {
		return err
	}
	return p.send(zvt.NewAPDU(zvt.CmdTerminalAbort, []byte{0x6c}))
}

func (p *peer) handle(a zvt.APDU) error {
	switch a.Command() {
	case zvt.CmdRegistration, zvt.CmdStatusEnquiry, zvt.CmdLogOff:
		if err := p.w.SendRaw(zvt.Ack); err != nil {
			return err
		}
		return p.send(zvt.NewAPDU(zvt.CmdCompletion, p.completion()))
	case zvt.CmdAuthorization:
		return p.pay(a, zvt.CmdAuthorization, a.Data)
	case zvt.CmdRefund:
		if len(a.Data) < 3 {
			return p.w.SendRaw([]byte{0x84, 0x9a, 0x00})
		}
		return p.pay(a, zvt.CmdRefund, a.Data[3:])
	case zvt.CmdReversal:
		return p.reverse(a.Data)
	case zvt.CmdRepeatReceipt:
		if err := p.w.SendRaw(zvt.Ack); err != nil {
			return err
		}
		p.s.mu.Lock()
		last := p.s.last
		p.s.mu.Unlock()
		if last != nil {
			if err := p.send(zvt.NewAPDU(zvt.CmdStatusInfo, p.status(*last, 0))); err != nil {
				return err
			}
			if err := p.lines(*last, 0); err != nil {
				return err
			}
		}
		return p.send(zvt.NewAPDU(zvt.CmdCompletion, p.completion()))
	case zvt.CmdEndOfDay:
		if err := p.w.SendRaw(zvt.Ack); err != nil {
			return err
		}
		total := p.s.Charged()
		st, _ := zvt.AppendField(nil, zvt.BMPResult, []byte{0})
		st, _ = zvt.AppendField(st, zvt.BMPAmount, zvt.BCD(uint64(max(total, 0)), 6))
		if err := p.send(zvt.NewAPDU(zvt.CmdStatusInfo, st)); err != nil {
			return err
		}
		if err := p.line(0x80, fmt.Sprintf("END OF DAY  TOTAL EUR %s", total)); err != nil {
			return err
		}
		return p.send(zvt.NewAPDU(zvt.CmdCompletion, p.completion()))
	case zvt.CmdAbort:
		return p.w.SendRaw(zvt.Ack) // nothing in progress
	}
	return p.w.SendRaw(zvt.NotSupported)
}

func (p *peer) completion() []byte {
	data, _ := zvt.AppendField(nil, zvt.BMPPaymentType, []byte{0x00}) // terminal status: ready
	data, _ = zvt.AppendField(data, zvt.BMPTerminalID, p.tid())
	return data
}

func (p *peer) tid() []byte {
	var v uint64
	fmt.Sscan(p.s.TerminalID, &v)
	return zvt.BCD(v, 4)
}

// pay runs an authorisation or refund: fields holds BMP 04 (and BMP 49).
func (p *peer) pay(a zvt.APDU, kind uint16, fields []byte) error {
	fs, err := zvt.ParseFields(fields)
	amt, ok := fs.Get(zvt.BMPAmount)
	if err != nil || !ok {
		return p.w.SendRaw([]byte{0x84, 0x9a, 0x00}) // protocol error
	}
	v, err := zvt.FromBCD(amt)
	if err != nil || v == 0 {
		return p.w.SendRaw([]byte{0x84, 0x9a, 0x00})
	}
	amount := money.Amount(v)
	if err := p.w.SendRaw(zvt.Ack); err != nil {
		return err
	}
	outcome := p.s.next()
	hint := p.s.WaitHint
	if hint == 0 {
		hint = 30
	}
	err = p.send(zvt.NewAPDU(zvt.CmdIntermediate, []byte{0x0a, hint})) // insert card
	if err == nil {
		err = p.wait(p.s.Delay)
	}
	if errors.Is(err, errAborted) {
		return p.aborted()
	}
	if err != nil {
		return err
	}
	switch outcome {
	case Timeout:
		// Nobody presents a card: the terminal waits until the till aborts.
		for {
			b, err := p.recv(time.Hour)
			if err != nil {
				return err
			}
			if b.Command() == zvt.CmdAbort {
				return p.aborted()
			}
		}
	case CardRemoved:
		if err := p.send(zvt.NewAPDU(zvt.CmdIntermediate, []byte{0x0b, 0})); err != nil { // please remove the card
			return err
		}
		return p.send(zvt.NewAPDU(zvt.CmdTerminalAbort, []byte{0x66}))
	case Decline:
		tx := Tx{Kind: kind, Amount: amount}
		if err := p.send(zvt.NewAPDU(zvt.CmdStatusInfo, p.status(tx, 0x05))); err != nil {
			return err
		}
		if err := p.line(0x80, "DECLINED"); err != nil {
			return err
		}
		return p.send(zvt.NewAPDU(zvt.CmdTerminalAbort, []byte{0x05}))
	}
	tx := p.book(kind, amount, 0)
	if outcome == LostReply {
		return p.c.Close() // booked, and the answer never leaves
	}
	if err := p.send(zvt.NewAPDU(zvt.CmdStatusInfo, p.status(*tx, 0))); err != nil {
		return err
	}
	if err := p.lines(*tx, 0); err != nil {
		return err
	}
	return p.send(zvt.NewAPDU(zvt.CmdCompletion, p.completion()))
}

func (p *peer) book(kind uint16, amount money.Amount, of uint16) *Tx {
	p.s.mu.Lock()
	p.s.trace++
	p.s.receipt++
	tx := &Tx{Kind: kind, Amount: amount, Trace: p.s.trace, Receipt: p.s.receipt, At: time.Now(), Of: of}
	p.s.txs = append(p.s.txs, tx)
	p.s.last = tx
	hook := p.s.OnBooked
	p.s.mu.Unlock()
	if hook != nil {
		hook(*tx)
	}
	return tx
}

// reverse runs a reversal: password, BMP 87 receipt number.
func (p *peer) reverse(data []byte) error {
	var fs zvt.Fields
	var err error
	if len(data) >= 3 {
		fs, err = zvt.ParseFields(data[3:])
	}
	rb, ok := fs.Get(zvt.BMPReceipt)
	if len(data) < 3 || err != nil || !ok {
		return p.w.SendRaw([]byte{0x84, 0x9a, 0x00})
	}
	no, _ := zvt.FromBCD(rb)
	if err := p.w.SendRaw(zvt.Ack); err != nil {
		return err
	}
	p.s.mu.Lock()
	var orig *Tx
	for _, t := range p.s.txs {
		if t.Receipt == uint16(no) && t.Kind != zvt.CmdReversal {
			orig = t
		}
	}
	code := byte(0)
	switch {
	case orig == nil:
		code = 0xb5 // reversal not possible
	case orig.Reversed:
		code = 0xb4 // already reversed
	default:
		orig.Reversed = true
	}
	p.s.mu.Unlock()
	if code != 0 {
		return p.send(zvt.NewAPDU(zvt.CmdTerminalAbort, []byte{code}))
	}
	tx := p.book(zvt.CmdReversal, orig.Amount, orig.Receipt)
	if err := p.send(zvt.NewAPDU(zvt.CmdStatusInfo, p.status(*tx, 0))); err != nil {
		return err
	}
	if err := p.lines(*tx, 0); err != nil {
		return err
	}
	return p.send(zvt.NewAPDU(zvt.CmdCompletion, p.completion()))
}

// PAN is the masked card number the simulator reports (BMP 22, E for
// hidden digits): ************4242.
var PAN = []byte{0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0x42, 0x42}

// status is the status-information of a transaction.
func (p *peer) status(tx Tx, result byte) []byte {
	at := tx.At
	if at.IsZero() {
		at = time.Now()
	}
	var hh, mm, ss, mo, dd uint64 = uint64(at.Hour()), uint64(at.Minute()), uint64(at.Second()), uint64(at.Month()), uint64(at.Day())
	add := func(b []byte, id byte, v []byte) []byte { b, _ = zvt.AppendField(b, id, v); return b }
	b := add(nil, zvt.BMPResult, []byte{result})
	b = add(b, zvt.BMPAmount, zvt.BCD(uint64(tx.Amount), 6))
	b = add(b, zvt.BMPCurrency, zvt.BCD(978, 2))
	if result == 0 {
		b = add(b, zvt.BMPTrace, zvt.BCD(uint64(tx.Trace), 3))
		b = add(b, zvt.BMPTime, zvt.BCD(hh*10000+mm*100+ss, 3))
		b = add(b, zvt.BMPDate, zvt.BCD(mo*100+dd, 2))
		b = add(b, zvt.BMPExpiry, zvt.BCD(2912, 2)) // sent by terminals, never kept by the till
		b = add(b, zvt.BMPPAN, PAN)
		b = add(b, zvt.BMPTerminalID, p.tid())
		b = add(b, zvt.BMPAuthCode, []byte(fmt.Sprintf("%06d\x00\x00", 100000+tx.Trace*7919%900000)))
		b = add(b, zvt.BMPReceipt, zvt.BCD(uint64(tx.Receipt), 2))
		b = add(b, zvt.BMPCardType, []byte{10})
		b = add(b, zvt.BMPCardName, []byte("VISA"))
	}
	return b
}

// lines prints the customer receipt of a transaction as print lines.
func (p *peer) lines(tx Tx, _ byte) error {
	title := "CARD PAYMENT"
	switch tx.Kind {
	case zvt.CmdRefund:
		title = "REFUND"
	case zvt.CmdReversal:
		title = "REVERSAL"
	}
	for _, l := range []string{
		title,
		fmt.Sprintf("TID %s  TRACE %06d", p.s.TerminalID, tx.Trace),
		fmt.Sprintf("RECEIPT %04d", tx.Receipt),
		"VISA ************4242",
		fmt.Sprintf("EUR %s", tx.Amount),
	} {
		if err := p.line(0x00, l); err != nil {
			return err
		}
	}
	return p.line(0x80|0x40, "APPROVED") // last line, centred
}

func (p *peer) line(attr byte, text string) error {
	return p.send(zvt.NewAPDU(zvt.CmdPrintLine, append([]byte{attr}, text...)))
}
