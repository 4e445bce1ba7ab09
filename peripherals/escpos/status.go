package escpos

import (
	"fmt"

	"github.com/opentill/opentill/peripherals"
)

// StatusQuery asks, in one write, for the printer status (DLE EOT 1), the
// offline cause (DLE EOT 2) and the paper roll sensor (DLE EOT 4). The
// printer answers with three bytes, in that order.
var StatusQuery = []byte{DLE, EOT, 1, DLE, EOT, 2, DLE, EOT, 4}

// Status bits of the answers to DLE EOT.
const (
	StDrawerPin3  = 0x04 // n=1: drawer-kick connector pin 3 is high
	StOffline     = 0x08 // n=1: printer is offline
	StCoverOpen   = 0x04 // n=2: cover open
	StFeedButton  = 0x08 // n=2: paper being fed by the feed button
	StPaperStop   = 0x20 // n=2: printing stopped at paper end
	StError       = 0x40 // n=2: an error occurred
	StMechanical  = 0x04 // n=3: mechanical error (recoverable)
	StCutter      = 0x08 // n=3: autocutter error
	StUnrecover   = 0x20 // n=3: unrecoverable error
	StAutoRecover = 0x40 // n=3: automatically recoverable error (head temperature)
	StNearEnd     = 0x0c // n=4: paper roll near end (bits 2 and 3)
	StPaperEnd    = 0x60 // n=4: paper roll end (bits 5 and 6)
	statusFixMask = 0x93 // bits 0, 1, 4 and 7 of every status byte…
	statusFixVal  = 0x12 // …are 0, 1, 1 and 0
)

// ParseStatus reads the three answers to StatusQuery. drawerOpenHigh says
// how the drawer's switch is wired: true when pin 3 high means open (the
// common case), false when it means closed.
func ParseStatus(b []byte, drawerOpenHigh bool) (peripherals.PrinterStatus, error) {
	if len(b) != 3 {
		return peripherals.PrinterStatus{}, peripherals.BadFrame("the receipt printer", b, "want 3 status bytes, got %d", len(b))
	}
	for i, c := range b {
		if c&statusFixMask != statusFixVal {
			return peripherals.PrinterStatus{}, peripherals.BadFrame("the receipt printer", b, "%s", fmt.Sprintf("status byte %d is %02X, not a DLE EOT answer", i+1, c))
		}
	}
	st := peripherals.PrinterStatus{Online: b[0]&StOffline == 0}
	st.DrawerOpen = (b[0]&StDrawerPin3 != 0) == drawerOpenHigh
	st.CoverOpen = b[1]&StCoverOpen != 0
	st.Error = b[1]&StError != 0
	st.PaperOut = b[1]&StPaperStop != 0 || b[2]&StPaperEnd != 0
	st.PaperNearEnd = b[2]&StNearEnd != 0
	if st.CoverOpen || st.PaperOut || st.Error {
		// An offline printer with a known cause is reported by its cause.
		st.Online = true
	}
	return st, nil
}

// ErrorCause is DLE EOT 3, asked when DLE EOT 2 reports an error.
var ErrorCause = []byte{DLE, EOT, 3}

// ParseErrorCause adds the answer to DLE EOT 3 to a status: autocutter
// error (bit 3), unrecoverable error (bit 5), automatically recoverable
// error (bit 6); bit 2, a mechanical error, counts as recoverable.
func ParseErrorCause(st peripherals.PrinterStatus, b byte) (peripherals.PrinterStatus, error) {
	if b&statusFixMask != statusFixVal {
		return st, peripherals.BadFrame("the receipt printer", []byte{b}, "error cause %02X is not a DLE EOT 3 answer", b)
	}
	st.CutterError = b&StCutter != 0
	st.Unrecoverable = b&StUnrecover != 0
	st.AutoRecoverable = b&(StAutoRecover|StMechanical) != 0
	return st, nil
}
