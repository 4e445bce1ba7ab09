package zvt

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/opentill/opentill/peripherals/transport"
)

// chunk is how long one read waits, so a long wait still notices an
// abort request or a cancelled context.
const chunk = 50 * time.Millisecond

// errSilent is a wait that passed without a whole APDU.
var errSilent = fmt.Errorf("zvt: no message in time: %w", os.ErrDeadlineExceeded)

// Wire carries APDUs over an open port: as they are on TCP, framed with
// DLE STX … DLE ETX and a CRC (answered ACK or NAK) on a serial line.
// Both ends use it: the driver and the simulator.
type Wire struct {
	c      io.ReadWriter
	serial bool
	buf    []byte
	// AckTimeout bounds the wait for the ACK of a serial frame; a frame
	// is sent at most three times.
	AckTimeout time.Duration
}

// NewWire returns a wire on c; serial frames the APDUs.
func NewWire(c io.ReadWriter, serial bool) *Wire {
	return &Wire{c: c, serial: serial, AckTimeout: time.Second}
}

// Send writes an APDU (on a serial line: until the other end ACKs it).
func (w *Wire) Send(a APDU) error { return w.SendRaw(a.Marshal()) }

// SendRaw writes encoded APDU bytes.
func (w *Wire) SendRaw(apdu []byte) error {
	if !w.serial {
		_, err := w.c.Write(apdu)
		return err
	}
	frame := Frame(apdu)
	for range 3 {
		if _, err := w.c.Write(frame); err != nil {
			return err
		}
		b, err := w.ack(w.AckTimeout)
		if err == nil && b == ACK {
			return nil
		}
		if err != nil && !errors.Is(err, errSilent) {
			return err
		}
	}
	return errors.New("zvt: the other end did not acknowledge the frame three times: check the serial line settings")
}

// ack waits for the ACK or NAK of a frame sent. A frame that starts
// instead is taken as the ACK (the other end got ours); other bytes are
// noise.
func (w *Wire) ack(d time.Duration) (byte, error) {
	deadline := time.Now().Add(d)
	for {
		for len(w.buf) > 0 {
			c := w.buf[0]
			if c == ACK || c == NAK {
				w.buf = w.buf[1:]
				return c, nil
			}
			if c == DLE && len(w.buf) == 1 {
				break
			}
			if c == DLE && w.buf[1] == STX {
				return ACK, nil
			}
			w.buf = w.buf[1:]
		}
		if err := w.fill(deadline); err != nil {
			return 0, err
		}
	}
}

// Recv returns the next APDU, waiting at most d. tick runs between reads
// (every 50 ms), for the caller to notice an abort request; when it
// returns a duration, the wait starts again with it.
func (w *Wire) Recv(d time.Duration, tick func() time.Duration) (APDU, error) {
	deadline := time.Now().Add(d)
	for {
		a, ok, err := w.next()
		if err != nil || ok {
			return a, err
		}
		if tick != nil {
			if nd := tick(); nd > 0 {
				deadline = time.Now().Add(nd)
			}
		}
		if err := w.fill(deadline); err != nil {
			return APDU{}, err
		}
	}
}

// next takes a whole APDU out of the buffer, if there is one.
func (w *Wire) next() (APDU, bool, error) {
	if !w.serial {
		a, n, err := ParseAPDU(w.buf)
		if err != nil {
			return APDU{}, false, nil
		}
		w.buf = w.buf[n:]
		return a, true, nil
	}
	for {
		raw, used, err := Unframe(w.buf)
		w.buf = w.buf[used:]
		switch {
		case errors.Is(err, ErrFrameShort):
			return APDU{}, false, nil
		case errors.Is(err, ErrFrameCRC):
			if _, err := w.c.Write([]byte{NAK}); err != nil {
				return APDU{}, false, err
			}
			continue
		}
		if _, err := w.c.Write([]byte{ACK}); err != nil {
			return APDU{}, false, err
		}
		a, n, perr := ParseAPDU(raw)
		if perr != nil || n != len(raw) {
			return APDU{}, false, fmt.Errorf("zvt: a serial frame holds % X, not one APDU", raw)
		}
		return a, true, nil
	}
}

// fill reads what arrives within one chunk, before the deadline.
func (w *Wire) fill(deadline time.Time) error {
	left := time.Until(deadline)
	if left <= 0 {
		return errSilent
	}
	if dl, ok := w.c.(interface{ SetReadDeadline(time.Time) error }); ok {
		_ = dl.SetReadDeadline(time.Now().Add(min(left, chunk)))
	}
	var tmp [512]byte
	n, err := w.c.Read(tmp[:])
	w.buf = append(w.buf, tmp[:n]...)
	if len(w.buf) > 3*MaxData {
		return errors.New("zvt: more data than any APDU holds: the line is noise")
	}
	if err != nil && !transport.IsTimeout(err) {
		return err
	}
	return nil
}
