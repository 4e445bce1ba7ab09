package zvt

import (
	"fmt"
	"strings"

	"golang.org/x/text/encoding/charmap"

	"github.com/opentill/opentill/pos/money"
)

// Status is what a status-information (04 0F) says about a transaction:
// only what a receipt and a reversal need. The card's expiry date, track
// data and anything else the terminal sends are read past, never kept.
type Status struct {
	Result     byte // BMP 27: 00 approved, else the result code
	Amount     money.Amount
	Currency   uint16 // ISO 4217 numeric (BMP 49)
	Trace      uint32 // BMP 0B
	Receipt    uint16 // BMP 87: the receipt number a reversal names
	TerminalID string // BMP 29
	Time       string // BMP 0C, HHMMSS
	Date       string // BMP 0D, MMDD
	PAN        string // BMP 22, masked
	CardType   byte   // BMP 8A
	CardName   string // BMP 8B
	AuthCode   string // BMP 3B
}

// ParseStatus reads the BMPs of a status-information.
func ParseStatus(data []byte) (Status, error) {
	fs, err := ParseFields(data)
	if err != nil {
		return Status{}, err
	}
	var st Status
	bcd := func(id byte) (uint64, bool, error) {
		b, ok := fs.Get(id)
		if !ok {
			return 0, false, nil
		}
		v, err := FromBCD(b)
		return v, true, err
	}
	if b, ok := fs.Get(BMPResult); ok {
		st.Result = b[0]
	}
	for _, f := range []struct {
		id  byte
		set func(uint64)
	}{
		{BMPAmount, func(v uint64) { st.Amount = money.Amount(v) }},
		{BMPCurrency, func(v uint64) { st.Currency = uint16(v) }},
		{BMPTrace, func(v uint64) { st.Trace = uint32(v) }},
		{BMPReceipt, func(v uint64) { st.Receipt = uint16(v) }},
	} {
		v, ok, err := bcd(f.id)
		if err != nil {
			return Status{}, err
		}
		if ok {
			f.set(v)
		}
	}
	for _, f := range []struct {
		id  byte
		set *string
	}{{BMPTerminalID, &st.TerminalID}, {BMPTime, &st.Time}, {BMPDate, &st.Date}} {
		if b, ok := fs.Get(f.id); ok {
			s, err := bcdDigits(b)
			if err != nil {
				return Status{}, err
			}
			*f.set = s
		}
	}
	if b, ok := fs.Get(BMPPAN); ok {
		if st.PAN, err = MaskedPAN(b); err != nil {
			return Status{}, err
		}
	}
	if b, ok := fs.Get(BMPCardType); ok {
		st.CardType = b[0]
	}
	if b, ok := fs.Get(BMPCardName); ok {
		st.CardName = text(b)
	}
	if b, ok := fs.Get(BMPAuthCode); ok {
		st.AuthCode = text(b)
	}
	return st, nil
}

// Brand names the card: by its ZVT card type, else by the name the
// terminal sent.
func (st Status) Brand() string {
	if b, ok := brands[st.CardType]; ok && st.CardType != 0 {
		return b
	}
	if st.CardName != "" {
		return st.CardName
	}
	return "Card"
}

// ZVT card types (BMP 8A) of the common brands.
var brands = map[byte]string{
	2: "ec-card", 5: "girocard", 6: "Mastercard", 8: "American Express", 10: "VISA",
	11: "VISA Electron", 12: "Diners", 13: "V PAY", 14: "JCB", 46: "Maestro", 232: "Discover",
}

// text decodes terminal text (code page 437, the protocol's default),
// without trailing NULs and spaces.
func text(b []byte) string {
	s, _ := charmap.CodePage437.NewDecoder().Bytes(b)
	return strings.TrimRight(string(s), "\x00 ")
}

// ResultText explains a result code (chapter "Error-Messages"; texts as
// Portalum.Zvt's EnglishErrorMessageRepository has them). 01–63 come from
// the card issuer's host.
func ResultText(code byte) string {
	if t, ok := resultTexts[code]; ok {
		return t
	}
	if code >= 0x01 && code <= 0x63 {
		return fmt.Sprintf("declined by the card issuer (%02d)", code)
	}
	return fmt.Sprintf("result code %02X", code)
}

var resultTexts = map[byte]string{
	0x00: "no error",
	0x05: "declined by the card issuer (do not honour)",
	0x64: "card not readable",
	0x65: "card data not present",
	0x66: "processing error (also a card taken out too early)",
	0x67: "function not permitted for girocard and Maestro",
	0x68: "function not permitted for credit and fuel cards",
	0x6A: "turnover file full",
	0x6B: "function deactivated (terminal not registered)",
	0x6C: "abort via timeout or the abort key",
	0x6E: "card in the blocked list",
	0x6F: "wrong currency",
	0x71: "credit not sufficient",
	0x72: "chip error",
	0x73: "card data incorrect",
	0x77: "end-of-day batch not possible",
	0x78: "card expired",
	0x79: "card not yet valid",
	0x7A: "card unknown",
	0x7D: "communication error",
	0x83: "function not possible",
	0x9A: "ZVT protocol error",
	0x9B: "error from dial-up or communication",
	0x9C: "please wait",
	0xA0: "receiver not ready",
	0xA1: "remote station does not respond",
	0xA3: "no connection",
	0xB1: "memory full",
	0xB2: "merchant journal full",
	0xB4: "already reversed",
	0xB5: "reversal not possible",
	0xC3: "maximum amount exceeded",
	0xC5: "payment method not supported",
	0xC6: "currency not applicable",
	0xC8: "amount too small",
	0xCC: "printer not ready",
	0xDC: "card inserted",
	0xE2: "card reader does not answer",
	0xF0: "open end-of-day batch present",
	0xFF: "system error",
}

// IntermediateText says what an intermediate status (04 FF) shows the
// customer.
func IntermediateText(code byte) string {
	if t, ok := intermediateTexts[code]; ok {
		return t
	}
	return fmt.Sprintf("terminal status %02X", code)
}

var intermediateTexts = map[byte]string{
	0x00: "waiting for the amount to be confirmed",
	0x01: "please watch the PIN pad",
	0x02: "please watch the PIN pad",
	0x03: "not accepted",
	0x04: "waiting for the host",
	0x05: "sending auto-reversal",
	0x06: "sending post-bookings",
	0x07: "card not admitted",
	0x08: "card unknown",
	0x09: "card expired",
	0x0A: "insert card",
	0x0B: "please remove the card",
	0x0C: "card not readable",
	0x0D: "processing error",
	0x0E: "please wait",
	0x0F: "terminal runs an automatic end-of-day",
	0x10: "invalid card",
	0x14: "credit not sufficient",
	0x15: "incorrect PIN",
	0x17: "please wait",
	0x18: "PIN try limit exceeded",
	0x1C: "approved: please take the goods",
	0x1D: "declined",
}

// CurrencyCode is the ISO 4217 numeric code of a currency (BMP 49).
func CurrencyCode(c money.Currency) (uint16, error) {
	if n, ok := numeric[c.Code]; ok {
		return n, nil
	}
	return 0, fmt.Errorf("currency %q has no ISO 4217 number the ZVT driver knows: add it to zvt.numeric", c.Code)
}

var numeric = map[string]uint16{
	"EUR": 978, "CHF": 756, "USD": 840, "GBP": 826, "PLN": 985, "CZK": 203, "DKK": 208,
	"SEK": 752, "NOK": 578, "HUF": 348, "JPY": 392, "TRY": 949,
}
