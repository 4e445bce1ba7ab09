package zvt_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/opentill/opentill/pos/locale"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/ptytest"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/peripherals/zvt"
	"github.com/opentill/opentill/peripherals/zvt/zvtsim"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/tender"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/; the run then fails, so review the diff and run again without it")

func key(err error) string {
	var pe *poserr.Error
	if errors.As(err, &pe) {
		return pe.Key
	}
	return ""
}

// fast are timeouts short enough for tests.
var fast = zvt.Config{AckTimeout: time.Second, Timeout: 400 * time.Millisecond, AbortGrace: 2 * time.Second, RecoverTimeout: time.Second}

func startSim(t *testing.T) *zvtsim.Sim {
	sim := zvtsim.New()
	sim.WaitHint = 1
	require.NoError(t, sim.Listen("127.0.0.1:0"))
	t.Cleanup(func() { sim.Close() })
	return sim
}

func dial(t *testing.T, sim *zvtsim.Sim, cfg zvt.Config) *zvt.Terminal {
	spec, err := transport.ParseSpec(sim.Addr(), transport.Line{})
	require.NoError(t, err)
	term, err := zvt.New(transport.NewLink("payment terminal", spec), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { term.Close() })
	return term
}

func req(amount money.Amount, ref string) tender.Request {
	return tender.Request{Amount: amount, Currency: money.EUR, Reference: ref}
}

// settled waits until the till's last acknowledgement reached the
// simulator (nothing more arrives for 30 ms), and returns what it
// received.
func settled(t *testing.T, sim *zvtsim.Sim) [][]byte {
	t.Helper()
	var got [][]byte
	n := -1
	require.Eventually(t, func() bool {
		got = sim.Received()
		stable := len(got) == n
		n = len(got)
		return stable && n > 0 && bytes.Equal(got[n-1], zvt.Ack)
	}, 2*time.Second, 30*time.Millisecond, "the simulator got every acknowledgement")
	return got
}

// commands are the APDUs the till sent, acknowledgements left out.
func commands(t *testing.T, sim *zvtsim.Sim) []string {
	var out []string
	for _, a := range settled(t, sim) {
		if !bytes.Equal(a, zvt.Ack) {
			out = append(out, fmt.Sprintf("% X", a))
		}
	}
	return out
}

// golden compares hex lines (one APDU a line) with testdata/name.
func golden(t *testing.T, name string, sim *zvtsim.Sim) {
	t.Helper()
	apdus := settled(t, sim)
	var sb strings.Builder
	for _, a := range apdus {
		fmt.Fprintf(&sb, "% X\n", a)
	}
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(sb.String()), 0o644))
		t.Fatalf("rewrote %s: review the diff and run again without -update", path)
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./peripherals/zvt -update to create it")
	assert.Equal(t, string(want), sb.String(), "the APDUs the till sent")
}

func TestApproveAndReverse(t *testing.T) {
	ctx := context.Background()
	sim := startSim(t)
	var mu sync.Mutex
	var shown []string
	cfg := fast
	cfg.OnStatus = func(s string) { mu.Lock(); shown = append(shown, s); mu.Unlock() }
	term := dial(t, sim, cfg)

	ap, err := term.Authorize(ctx, req(1234, "txn-1/1"))
	require.NoError(t, err)
	assert.Equal(t, "************4242", ap.MaskedPAN)
	assert.Equal(t, "VISA", ap.Brand)
	assert.Regexp(t, `^\d{6}$`, ap.AuthCode)
	assert.Equal(t, "ZVT-52500038-0001-000001", ap.Reference)
	require.NotEmpty(t, ap.Receipt, "the terminal's receipt text comes with the approval")
	assert.Equal(t, "CARD PAYMENT", ap.Receipt[0])
	assert.Contains(t, ap.Receipt, "APPROVED")
	assert.NotContains(t, fmt.Sprint(ap), "2912", "the card's expiry date is not kept")
	mu.Lock()
	assert.Contains(t, shown, "insert card", "intermediate status reaches the till")
	mu.Unlock()
	assert.Equal(t, money.Amount(1234), sim.Charged())

	again, err := term.Authorize(ctx, req(1234, "txn-1/1"))
	require.NoError(t, err)
	assert.Equal(t, ap, again, "the same request reference is one payment")
	assert.Equal(t, money.Amount(1234), sim.Charged(), "never charged twice")

	require.NoError(t, term.Void(ctx, ap.Reference))
	assert.Zero(t, sim.Charged())
	err = term.Void(ctx, ap.Reference)
	assert.ErrorIs(t, err, tender.ErrAlreadyVoided)

	// A till that restarted does not remember: the terminal says B4.
	settled(t, sim)
	fresh := dial(t, sim, fast)
	err = fresh.Void(ctx, ap.Reference)
	assert.ErrorIs(t, err, tender.ErrAlreadyVoided)

	golden(t, "approve_reverse.hex", sim)
}

func TestRefundAndEndOfDay(t *testing.T) {
	ctx := context.Background()
	sim := startSim(t)
	term := dial(t, sim, fast)
	_, err := term.Authorize(ctx, req(5000, "a/1"))
	require.NoError(t, err)
	rf, err := term.Refund(ctx, req(1500, "b/1"))
	require.NoError(t, err)
	assert.Equal(t, "REFUND", rf.Receipt[0])
	assert.Equal(t, money.Amount(3500), sim.Charged())
	total, lines, err := term.EndOfDay(ctx)
	require.NoError(t, err)
	assert.Equal(t, money.Amount(3500), total)
	assert.Contains(t, strings.Join(lines, "\n"), "END OF DAY")
	require.NoError(t, term.StatusEnquiry(ctx))
	rec := commands(t, sim)
	assert.Equal(t, []string{
		"06 00 08 00 00 00 BE 09 78 03 01",       // registration: password, config, EUR, service byte
		"06 01 0A 04 00 00 00 00 50 00 49 09 78", // authorisation: BMP 04 amount, BMP 49 currency
		"06 31 0A 00 00 00 04 00 00 00 00 15 00", // refund: password, BMP 04
		"06 50 03 00 00 00",                      // end-of-day: password
		"05 01 00",                               // status enquiry
	}, rec)
}

func TestDeclineTimeoutCardRemoved(t *testing.T) {
	ctx := context.Background()
	sim := startSim(t)
	term := dial(t, sim, fast)

	sim.Queue(zvtsim.Decline)
	_, err := term.Authorize(ctx, req(700, "d/1"))
	require.Error(t, err)
	assert.Equal(t, zvt.KeyDeclined, key(err), "%v", err)
	assert.Contains(t, err.Error(), "ask for another payment method")

	sim.Queue(zvtsim.Timeout)
	start := time.Now()
	_, err = term.Authorize(ctx, req(700, "d/1"))
	require.Error(t, err)
	assert.Equal(t, zvt.KeyTimeout, key(err), "%v", err)
	assert.Less(t, time.Since(start), 5*time.Second, "the till aborts after the terminal's silence")
	assert.Contains(t, fmt.Sprintf("% X", sim.Received()), "06 B0 00", "the till sent abort 06 B0")

	sim.Queue(zvtsim.CardRemoved)
	_, err = term.Authorize(ctx, req(700, "d/1"))
	require.Error(t, err)
	assert.Equal(t, zvt.KeyDeclined, key(err), "%v", err)
	assert.Contains(t, err.Error(), "taken out too early")

	assert.Zero(t, sim.Charged(), "nothing was booked")
	ap, err := term.Authorize(ctx, req(700, "d/1"))
	require.NoError(t, err, "the same sale pays after all")
	assert.NotEmpty(t, ap.Reference)
	assert.Equal(t, money.Amount(700), sim.Charged())
}

func TestCancel(t *testing.T) {
	sim := startSim(t)
	sim.Delay = 5 * time.Second
	term := dial(t, sim, fast)
	go func() {
		time.Sleep(200 * time.Millisecond)
		_ = term.Cancel(context.Background())
	}()
	start := time.Now()
	_, err := term.Authorize(context.Background(), req(100, "c/1"))
	require.Error(t, err)
	assert.Equal(t, zvt.KeyCancelled, key(err), "%v", err)
	assert.Less(t, time.Since(start), 3*time.Second)
	assert.Zero(t, sim.Charged())

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = term.Authorize(ctx, req(100, "c/2"))
	assert.Equal(t, zvt.KeyCancelled, key(err), "a cancelled context aborts at the terminal: %v", err)
}

// TestLostReply: the terminal books the payment and the connection drops
// before its answer. The till reconnects, asks (status enquiry, last
// transaction) and returns the approval: the sale is not lost and the card
// is not charged twice.
func TestLostReply(t *testing.T) {
	ctx := context.Background()
	sim := startSim(t)
	term := dial(t, sim, fast)
	_, err := term.Authorize(ctx, req(100, "warm/1")) // the till learns the trace number
	require.NoError(t, err)

	sim.Queue(zvtsim.LostReply)
	ap, err := term.Authorize(ctx, req(2599, "lost/1"))
	require.NoError(t, err, "the approval is found after the lost reply")
	assert.Equal(t, "************4242", ap.MaskedPAN)
	assert.Equal(t, money.Amount(100+2599), sim.Charged())
	again, err := term.Authorize(ctx, req(2599, "lost/1"))
	require.NoError(t, err)
	assert.Equal(t, ap.Reference, again.Reference)
	assert.Equal(t, money.Amount(100+2599), sim.Charged(), "the retry is not a second charge")
	rec := commands(t, sim)
	assert.Equal(t, []string{"05 01 00", "06 20 03 00 00 00"}, rec[3:5], "status enquiry after the lost reply, then the last transaction")
	assert.Len(t, rec, 5, "and no second authorisation")
}

// TestLostReplyTerminalDown: after a lost reply the terminal is
// unreachable, so the outcome stays unknown and no new payment starts;
// once it is back, the orphan approval (the sale moved on) is reversed
// before the next payment.
func TestLostReplyTerminalDown(t *testing.T) {
	ctx := context.Background()
	sim := startSim(t)
	cfg := fast
	de := locale.For("de-DE", "")
	cfg.Money = func(a money.Amount) string { return de.Money(a, money.EUR) }
	term := dial(t, sim, cfg)
	_, err := term.Authorize(ctx, req(100, "warm/1"))
	require.NoError(t, err)

	sim.Queue(zvtsim.LostReply)
	sim.OnBooked = func(tx zvtsim.Tx) {
		if tx.Amount == 2599 && tx.Kind == zvt.CmdAuthorization {
			sim.SetDown(true) // down as soon as the payment is booked
		}
	}
	_, err = term.Authorize(ctx, req(2599, "lost/1"))
	require.Error(t, err)
	assert.Equal(t, zvt.KeyUnknown, key(err), "%v", err)
	assert.Contains(t, err.Error(), "do not take the card again")
	var pe *poserr.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "25,99\u00a0€", pe.Args["amount"], "the amount in the store's locale")

	_, err = term.Authorize(ctx, req(999, "other/1"))
	assert.Equal(t, zvt.KeyUnknown, key(err), "no new payment while the last one is unknown: %v", err)

	sim.SetDown(false)
	ap, err := term.Authorize(ctx, req(999, "other/1"))
	require.NoError(t, err)
	assert.NotEmpty(t, ap.Reference)
	txs := sim.Transactions()
	require.Len(t, txs, 4, "warm-up, the lost payment, its reversal, the new payment")
	assert.True(t, txs[1].Reversed, "the payment nobody recorded was reversed")
	assert.Equal(t, money.Amount(100+999), sim.Charged())
}

// TestSerial runs a payment and its reversal over a pseudo-terminal: DLE
// STX framing, CRC, ACK after every frame.
func TestSerial(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pair := ptytest.New(t)
	sim := zvtsim.New()
	sim.Serial = true
	line := transport.Line{Baud: 9600, DataBits: 8, Parity: "N", StopBits: 2}
	peer := pair.OpenPeer(line)
	tap := &tapConn{Conn: peer}
	go sim.Serve(tap)
	t.Cleanup(func() { sim.Close() })

	spec, err := transport.ParseSpec(pair.Dev, line)
	require.NoError(t, err)
	cfg := fast
	cfg.Serial = true
	term, err := zvt.New(transport.NewLink("payment terminal", spec), cfg)
	require.NoError(t, err)
	defer term.Close()

	ap, err := term.Authorize(ctx, req(1, "s/1"))
	require.NoError(t, err)
	require.NoError(t, term.Void(ctx, ap.Reference))
	assert.Zero(t, sim.Charged())
	got := tap.bytes()
	assert.True(t, bytes.HasPrefix(got, zvt.Frame(zvt.NewAPDU(zvt.CmdRegistration,
		[]byte{0, 0, 0, zvt.RegistrationConfig, 0x09, 0x78, 0x03, 0x01}).Marshal())), "% X", got[:20])
	assert.Contains(t, string(got), string(zvt.Frame(zvt.Ack)), "the till acknowledges the terminal's messages")
	assert.Contains(t, string(got), string([]byte{zvt.ACK}), "and every frame")
}

// tapConn keeps what the till wrote to the terminal's end.
type tapConn struct {
	transport.Conn
	mu  sync.Mutex
	got []byte
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.got = append(c.got, p[:n]...)
	c.mu.Unlock()
	return n, err
}

func (c *tapConn) bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.got)
}

func TestCaptureAndBadRequests(t *testing.T) {
	ctx := context.Background()
	sim := startSim(t)
	term := dial(t, sim, fast)
	_, err := term.Authorize(ctx, req(0, "x"))
	assert.Equal(t, zvt.KeyAmount, key(err))
	_, err = term.Authorize(ctx, tender.Request{Amount: 100, Currency: money.CHF})
	assert.Equal(t, zvt.KeyAmount, key(err))
	assert.Contains(t, err.Error(), "set up for EUR")
	ap, err := term.Authorize(ctx, req(800, "cap/1"))
	require.NoError(t, err)
	got, err := term.Capture(ctx, ap.Reference, 800)
	require.NoError(t, err)
	assert.Equal(t, ap.Reference, got.Reference)
	_, err = term.Capture(ctx, ap.Reference, 700)
	assert.Equal(t, zvt.KeyAmount, key(err))
	assert.Error(t, term.Void(ctx, "SIM-123"))

	_, err = zvt.New(transport.NewLink("t", transport.Spec{}), zvt.Config{Password: "12"})
	assert.ErrorContains(t, err, "six digits")

	// A terminal that is off: nothing was charged, say so.
	spec, _ := transport.ParseSpec("127.0.0.1:1", transport.Line{})
	off, err := zvt.New(transport.NewLink("payment terminal", spec), fast)
	require.NoError(t, err)
	_, err = off.Authorize(ctx, req(100, "off/1"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nothing was charged")
}

// TestUnsettledPaymentSurvivesRestart: the answer to a payment is lost and
// the terminal goes down, then the till itself stops. The payment is in
// the pending file, so the till started again asks the terminal before the
// next card payment and reverses the approval no sale recorded: nobody is
// charged twice.
func TestUnsettledPaymentSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	sim := startSim(t)
	cfg := fast
	cfg.PendingPath = filepath.Join(t.TempDir(), "zvt-pending.json")
	first := dial(t, sim, cfg)
	_, err := first.Authorize(ctx, req(100, "warm/1"))
	require.NoError(t, err)
	assert.NoFileExists(t, cfg.PendingPath, "a settled payment leaves no record")

	sim.Queue(zvtsim.LostReply)
	sim.OnBooked = func(tx zvtsim.Tx) {
		if tx.Amount == 2599 && tx.Kind == zvt.CmdAuthorization {
			sim.SetDown(true)
		}
	}
	_, err = first.Authorize(ctx, req(2599, "lost/1"))
	assert.Equal(t, zvt.KeyUnknown, key(err), "%v", err)
	require.FileExists(t, cfg.PendingPath, "the unsettled payment is on disk")
	require.NoError(t, first.Close()) // the till stops

	sim.SetDown(false)
	sim.OnBooked = nil
	again := dial(t, sim, cfg) // the till starts again
	ap, err := again.Authorize(ctx, req(999, "other/1"))
	require.NoError(t, err)
	assert.NotEmpty(t, ap.Reference)
	txs := sim.Transactions()
	require.Len(t, txs, 4, "warm-up, the lost payment, its reversal, the new payment")
	assert.True(t, txs[1].Reversed, "the payment no sale recorded was reversed after the restart")
	assert.Equal(t, money.Amount(100+999), sim.Charged())
	assert.NoFileExists(t, cfg.PendingPath)
}

// A damaged pending file stops the terminal from starting, with what to do:
// it cannot tell which payment to settle.
func TestDamagedPendingFile(t *testing.T) {
	sim := startSim(t)
	path := filepath.Join(t.TempDir(), "zvt-pending.json")
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o600))
	spec, err := transport.ParseSpec(sim.Addr(), transport.Line{})
	require.NoError(t, err)
	cfg := fast
	cfg.PendingPath = path
	_, err = zvt.New(transport.NewLink("payment terminal", spec), cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "check the terminal's last receipt")
}

// A payment that cannot be recorded first is not sent.
func TestPaymentNotSentWhenItCannotBeRecorded(t *testing.T) {
	sim := startSim(t)
	cfg := fast
	cfg.PendingPath = filepath.Join(t.TempDir(), "missing-dir", "zvt-pending.json")
	term := dial(t, sim, cfg)
	_, err := term.Authorize(context.Background(), req(500, "r/1"))
	require.Error(t, err)
	assert.Equal(t, zvt.KeyFailed, key(err))
	assert.Zero(t, sim.Charged(), "nothing was charged")
}
