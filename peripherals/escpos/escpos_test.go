package escpos

import (
	"bytes"
	"context"
	"flag"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/peripherals"
	"github.com/opentill/opentill/peripherals/escpos/escpostest"
	"github.com/opentill/opentill/peripherals/internal/fixtures"
	"github.com/opentill/opentill/peripherals/transport"
	"github.com/opentill/opentill/pos/poserr"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/; the run then fails, so review the diff and run again without it")

func TestCommands(t *testing.T) {
	tests := []struct {
		name string
		do   func(e *Encoder)
		want []byte
	}{
		{"init selects CP858", func(e *Encoder) { e.Init() }, []byte{0x1b, 0x40, 0x1b, 0x74, 19}},
		{"bold on", func(e *Encoder) { e.Bold(true) }, []byte{0x1b, 0x45, 1}},
		{"bold off", func(e *Encoder) { e.Bold(false) }, []byte{0x1b, 0x45, 0}},
		{"underline", func(e *Encoder) { e.Underline(true) }, []byte{0x1b, 0x2d, 1}},
		{"double width and height", func(e *Encoder) { e.Size(2, 2) }, []byte{0x1d, 0x21, 0x11}},
		{"double height", func(e *Encoder) { e.Size(1, 2) }, []byte{0x1d, 0x21, 0x01}},
		{"double width", func(e *Encoder) { e.Size(2, 1) }, []byte{0x1d, 0x21, 0x10}},
		{"centre", func(e *Encoder) { e.Align(Center) }, []byte{0x1b, 0x61, 1}},
		{"right", func(e *Encoder) { e.Align(Right) }, []byte{0x1b, 0x61, 2}},
		{"font B", func(e *Encoder) { e.Font(true) }, []byte{0x1b, 0x4d, 1}},
		{"feed 3", func(e *Encoder) { e.Feed(3) }, []byte{0x1b, 0x64, 3}},
		{"full cut", func(e *Encoder) { e.Cut(false) }, []byte{0x1d, 0x56, 65, 0}},
		{"partial cut", func(e *Encoder) { e.Cut(true) }, []byte{0x1d, 0x56, 66, 0}},
		{"kick pin 2, 100 ms", func(e *Encoder) { e.Kick(Pin2, 100, 100) }, []byte{0x1b, 0x70, 0x00, 0x32, 0x32}},
		{"kick pin 5, 100/500 ms", func(e *Encoder) { e.Kick(Pin5, 100, 500) }, []byte{0x1b, 0x70, 0x01, 0x32, 0xfa}},
		{"kick pin 2, 50/500 ms (Floreant)", func(e *Encoder) { e.Kick(Pin2, 50, 500) }, []byte{0x1b, 0x70, 0x00, 0x19, 0xfa}},
		{"code page 1252", func(e *Encoder) { e.CodePage(codePages["cp1252"]) }, []byte{0x1b, 0x74, 16}},
		{"text with LF", func(e *Encoder) { e.Line("ok") }, []byte{'o', 'k', 0x0a}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := NewEncoder(DefaultCodePage)
			tc.do(e)
			assert.Equal(t, Describe(tc.want), Describe(e.Bytes()))
		})
	}
}

func TestBarcodes(t *testing.T) {
	tests := []struct {
		name    string
		do      func(e *Encoder) error
		want    []byte
		wantErr string
	}{
		{"CODE128 set B", func(e *Encoder) error { return e.Code128("R-42") },
			[]byte{0x1d, 0x48, 2, 0x1d, 0x68, 80, 0x1d, 0x77, 2, 0x1d, 0x6b, 73, 6, '{', 'B', 'R', '-', '4', '2'}, ""},
		{"CODE128 brace doubled", func(e *Encoder) error { return e.Code128("a{b") },
			[]byte{0x1d, 0x48, 2, 0x1d, 0x68, 80, 0x1d, 0x77, 2, 0x1d, 0x6b, 73, 6, '{', 'B', 'a', '{', '{', 'b'}, ""},
		{"CODE128 non-ASCII", func(e *Encoder) error { return e.Code128("Ä") }, nil, "cannot be encoded"},
		{"CODE128 empty", func(e *Encoder) error { return e.Code128("") }, nil, "1 to 253"},
		{"EAN-13 adds check digit", func(e *Encoder) error { return e.EAN13("400638133393") },
			append([]byte{0x1d, 0x48, 2, 0x1d, 0x68, 80, 0x1d, 0x77, 2, 0x1d, 0x6b, 67, 13}, "4006381333931"...), ""},
		{"EAN-13 checks check digit", func(e *Encoder) error { return e.EAN13("4006381333932") }, nil, "check digit should be 1"},
		{"EAN-13 digits only", func(e *Encoder) error { return e.EAN13("40063813339X") }, nil, "only digits"},
		{"QR", func(e *Encoder) error { return e.QR("R1", 6) }, []byte{
			0x1d, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0,
			0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x43, 6,
			0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31,
			0x1d, 0x28, 0x6b, 5, 0, 0x31, 0x50, 0x30, 'R', '1',
			0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := NewEncoder(DefaultCodePage)
			err := tc.do(e)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Empty(t, e.Bytes(), "a refused barcode sends nothing")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, Describe(tc.want), Describe(e.Bytes()))
		})
	}
}

func TestImageRaster(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 10, 2))
	for x := 0; x < 10; x++ {
		img.Set(x, 0, color.White)
		img.Set(x, 1, color.White)
	}
	img.Set(0, 0, color.Black)
	img.Set(9, 0, color.Black)
	img.Set(1, 1, color.Black)
	e := NewEncoder(DefaultCodePage).Image(img)
	// GS v 0 m=0, 2 bytes per row, 2 rows; row 0: 1000 0000 0100 0000; row 1: 0100 0000 0000 0000.
	assert.Equal(t, Describe([]byte{0x1d, 0x76, 0x30, 0, 2, 0, 2, 0, 0x80, 0x40, 0x40, 0x00}), Describe(e.Bytes()))
}

func TestCodePagesByteForByte(t *testing.T) {
	tests := []struct {
		cp   string
		in   string
		want []byte
		repl int
	}{
		{"cp858", "äöüß ÄÖÜ", []byte{0x84, 0x94, 0x81, 0xe1, ' ', 0x8e, 0x99, 0x9a}, 0},
		{"cp858", "éèêëçàâôœ", []byte{0x82, 0x8a, 0x88, 0x89, 0x87, 0x85, 0x83, 0x93, '?'}, 1},
		{"cp858", "ñÑ¡¿áíóú", []byte{0xa4, 0xa5, 0xad, 0xa8, 0xa0, 0xa1, 0xa2, 0xa3}, 0},
		{"cp858", "€ £", []byte{0xd5, ' ', 0x9c}, 0},
		{"cp437", "€é", []byte{'?', 0x82}, 1},
		{"cp850", "€", []byte{'?'}, 1},
		{"cp1252", "äß€œ", []byte{0xe4, 0xdf, 0x80, 0x9c}, 0},
		{"iso8859-15", "€œ", []byte{0xa4, 0xbd}, 0},
		{"cp852", "Łódź", []byte{0x9d, 0xa2, 0x64, 0xab}, 0},
		{"cp858", "Łódź", []byte{'?', 0xa2, 'd', '?'}, 2},
		{"cp858", "e\u0301", []byte{0x82}, 0}, // decomposed é is composed first
		{"cp858", "“quoted” – ok", []byte("\"quoted\" - ok"), 0},
		{"cp858", "a\x1bp\x00b\tc", []byte{'a', '?', 'p', '?', 'b', '?', 'c'}, 3},
		{"cp858", "日本", []byte{'?', '?'}, 2},
		{"cp858", "bad\xffutf8", []byte("bad?utf8"), 1},
	}
	for _, tc := range tests {
		t.Run(tc.cp+" "+tc.in, func(t *testing.T) {
			cp, err := LookupCodePage(tc.cp)
			require.NoError(t, err)
			got, n := cp.Encode(nil, tc.in)
			assert.Equal(t, Describe(tc.want), Describe(got))
			assert.Equal(t, tc.repl, n, "replaced characters")
		})
	}
	_, err := LookupCodePage("cp999")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "use one of")
	for _, alias := range []string{"CP-858", "858", "Windows-1252", "latin9", ""} {
		_, err := LookupCodePage(alias)
		assert.NoError(t, err, alias)
	}
}

// TestReceiptGoldens compares the full receipt of each language with its
// golden ESC/POS byte file (go test -run Goldens -update rewrites them), and
// checks the accented letters of each language byte for byte in CP858.
func TestReceiptGoldens(t *testing.T) {
	letters := map[string]map[string]byte{
		"en": {"é": 0x82, "ñ": 0xa4, "€": 0xd5},
		"de": {"ä": 0x84, "ö": 0x94, "ü": 0x81, "ß": 0xe1, "Ö": 0x99},
		"fr": {"É": 0x90, "ô": 0x93, "é": 0x82, "è": 0x8a, "â": 0x83, "ê": 0x88, "à": 0x85},
		"es": {"ñ": 0xa4, "¡": 0xad, "¿": 0xa8, "é": 0x82, "ó": 0xa2, "á": 0xa0},
	}
	for _, lang := range fixtures.Languages {
		for _, cols := range []int{42, 48} {
			t.Run(lang+"_"+itoa(cols), func(t *testing.T) {
				r := fixtures.Receipt(lang)
				l := DefaultLayout()
				l.Columns = cols
				l.FontB = cols == 48
				got, replaced := Receipt(r, l)
				assertGolden(t, "receipt_"+lang+"_"+itoa(cols), got)

				assert.True(t, bytes.HasPrefix(got, []byte{0x1b, 0x40, 0x1b, 0x74, 19}), "starts with ESC @ and ESC t 19 (CP858)")
				assert.True(t, bytes.HasSuffix(got, []byte{0x1b, 0x64, 4, 0x1d, 0x56, 66, 0}), "ends with feed and partial cut")
				assert.Contains(t, string(got), "\x1d\x6b\x49\x11{BS001-T01-000042", "CODE128 of the receipt number")
				assert.Contains(t, string(got), "\x1d\x28\x6b\x12\x00\x31\x50\x30S001-T01-000042", "QR of the receipt number")
				assert.Contains(t, string(got), "\x1b\x45\x01\x1d\x21\x01"+r.Labels().Total+" ", "total bold, double height")
				for s, b := range letters[lang] {
					enc, _ := DefaultCodePage.Encode(nil, s)
					assert.Equal(t, []byte{b}, enc, "%s in CP858", s)
					assert.True(t, bytes.IndexByte(got, b) >= 0, "%s (%02X) printed", s, b)
				}
				if lang == "en" {
					assert.Equal(t, 2, replaced, "the two stars of the footer are replaced visibly")
					assert.Contains(t, string(got), "? Loyalty points: 12 ?")
				} else {
					assert.Zero(t, replaced, "every letter of %s prints in CP858", lang)
				}
				// Every text line fits the paper.
				for _, line := range strings.Split(DefaultCodePage.Decode(stripCommands(got)), "\n") {
					assert.LessOrEqual(t, utf8.RuneCountInString(line), cols, line)
				}
			})
		}
	}
}

// assertGolden compares ESC/POS bytes with testdata/name.bin and their
// disassembly with testdata/name.txt, the readable form a review sees
// (-update rewrites both). The listing is compared first, so a failure
// shows what changed on the paper.
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	bin, txt := filepath.Join("testdata", name+".bin"), filepath.Join("testdata", name+".txt")
	listing := Disassemble(got, DefaultCodePage)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(bin, got, 0o644))
		require.NoError(t, os.WriteFile(txt, []byte(listing), 0o644))
		t.Errorf("rewrote %s and %s: review the diff (git diff testdata/) and run again without -update", bin, txt)
	}
	wantTxt, err := os.ReadFile(txt)
	require.NoError(t, err, "missing golden: run go test ./peripherals/escpos -update")
	assert.Equal(t, string(wantTxt), listing, "the decoded receipt differs from %s", txt)
	want, err := os.ReadFile(bin)
	require.NoError(t, err, "missing golden: run go test ./peripherals/escpos -update")
	require.True(t, bytes.Equal(want, got), "ESC/POS bytes differ from %s", bin)
}

// stripCommands removes ESC/GS commands of the receipt renderer, leaving text.
func stripCommands(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case ESC:
			i += 2
			if i-1 < len(b) && b[i-1] == 'p' {
				i += 2
			}
		case GS:
			switch b[i+1] {
			case 'k':
				i += 3 + int(b[i+3])
			case '(':
				n := int(b[i+3]) | int(b[i+4])<<8
				i += 4 + n
			case 'V':
				i += 3
			case 'v':
				w := int(b[i+4]) | int(b[i+5])<<8
				h := int(b[i+6]) | int(b[i+7])<<8
				i += 7 + w*h
			default:
				i += 2
			}
		default:
			out = append(out, b[i])
		}
	}
	return out
}

func itoa(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

func TestParseStatus(t *testing.T) {
	tests := []struct {
		name    string
		in      [3]byte
		want    peripherals.PrinterStatus
		wantKey string
	}{
		{"ready", escpostest.Ready, peripherals.PrinterStatus{Online: true}, ""},
		{"paper out", escpostest.PaperOut, peripherals.PrinterStatus{Online: true, PaperOut: true}, peripherals.KeyPaperOut},
		{"near end", escpostest.NearEnd, peripherals.PrinterStatus{Online: true, PaperNearEnd: true}, ""},
		{"cover open", escpostest.Cover, peripherals.PrinterStatus{Online: true, CoverOpen: true}, peripherals.KeyCoverOpen},
		{"drawer open", escpostest.Drawer, peripherals.PrinterStatus{Online: true, DrawerOpen: true}, ""},
		{"error", [3]byte{0x1a, 0x52, 0x12}, peripherals.PrinterStatus{Online: true, Error: true}, peripherals.KeyPrinterError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := ParseStatus(tc.in[:], true)
			require.NoError(t, err)
			assert.Equal(t, tc.want, st)
			if tc.wantKey == "" {
				assert.NoError(t, st.Err())
			} else {
				var pe *poserr.Error
				require.ErrorAs(t, st.Err(), &pe)
				assert.Equal(t, tc.wantKey, pe.Key)
			}
		})
	}
	for _, bad := range [][]byte{{0x12, 0x12}, {0x12, 0x12, 0x00}, {0xff, 0x12, 0x12}} {
		_, err := ParseStatus(bad, true)
		require.Error(t, err, "% X", bad)
		assert.True(t, poserr.Is(err, poserr.Device))
	}
}

func newNetPrinter(t *testing.T, status bool) (*Printer, *escpostest.Server) {
	srv := escpostest.NewServer(t)
	spec, err := transport.ParseSpec(srv.Addr, transport.Line{})
	require.NoError(t, err)
	require.Equal(t, transport.TCP, spec.Kind)
	p := NewPrinter(transport.NewLink("receipt printer", spec), Config{Layout: DefaultLayout(), Status: status, StatusTimeout: 300 * time.Millisecond, DrawerOpenHigh: true})
	t.Cleanup(func() { p.Close() })
	return p, srv
}

func TestNetworkPrinter(t *testing.T) {
	ctx := context.Background()
	p, srv := newNetPrinter(t, true)
	r := fixtures.Receipt("de")
	want, _ := Receipt(r, DefaultLayout())

	require.NoError(t, p.PrintReceipt(ctx, r))
	got := srv.WaitFor(t, want, 2*time.Second)
	assert.Equal(t, Describe(StatusQuery), Describe(got[:len(StatusQuery)]), "the status is asked first")
	assert.True(t, bytes.Equal(want, got[len(StatusQuery):]), "then the receipt, byte for byte")

	t.Run("paper out is reported and nothing is printed", func(t *testing.T) {
		srv.Reset()
		srv.SetStatus(escpostest.PaperOut)
		err := p.PrintReceipt(ctx, r)
		var pe *poserr.Error
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, peripherals.KeyPaperOut, pe.Key)
		assert.Contains(t, err.Error(), "load a new roll")
		st, err := p.Status(ctx)
		require.NoError(t, err)
		assert.True(t, st.PaperOut)
		assert.Equal(t, Describe(append(StatusQuery, StatusQuery...)), Describe(srv.Bytes()))
	})
	t.Run("cover open", func(t *testing.T) {
		srv.SetStatus(escpostest.Cover)
		err := p.PrintReceipt(ctx, r)
		assert.Contains(t, err.Error(), "cover is open")
	})
	t.Run("silent printer is offline", func(t *testing.T) {
		srv.SetStatus(escpostest.Ready)
		srv.SetSilent(true)
		err := p.PrintReceipt(ctx, r)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "does not answer")
		srv.SetSilent(false)
	})
	t.Run("drawer through the printer", func(t *testing.T) {
		srv.Reset()
		d := p.Drawer(Pin5, 100, 500)
		require.NoError(t, d.Open(ctx))
		srv.WaitFor(t, []byte{0x1b, 0x70, 0x01, 0x32, 0xfa}, time.Second)
		srv.SetStatus(escpostest.Drawer)
		st, err := d.Status(ctx)
		require.NoError(t, err)
		assert.Equal(t, peripherals.DrawerStatus{Known: true, Open: true}, st)
		srv.SetStatus(escpostest.Ready)
	})
	t.Run("printer restarted: reconnects", func(t *testing.T) {
		srv.DropConnections()
		srv.Reset()
		var err error
		for i := 0; i < 3; i++ { // the first write may still succeed into the dead socket's buffer
			if err = p.PrintReceipt(ctx, r); err == nil && bytes.Contains(srv.Bytes(), want) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		srv.WaitFor(t, want, 2*time.Second)
	})
}

func TestPrinterGone(t *testing.T) {
	ctx := context.Background()
	p, srv := newNetPrinter(t, true)
	srv.Close()
	err := p.PrintReceipt(ctx, fixtures.Receipt("en"))
	require.Error(t, err)
	assert.True(t, poserr.Is(err, poserr.Device))
	assert.Contains(t, err.Error(), "not reachable")
}

func FuzzEncodeText(f *testing.F) {
	for _, s := range []string{"Bäckerei Müller", "Crème brûlée", "¡Piña!", "\x1bp\x00\x19", "日本語", "e\u0301", "\xff\xfe"} {
		f.Add(s)
	}
	cps := CodePageNames()
	f.Fuzz(func(t *testing.T, s string) {
		for _, name := range cps {
			cp := codePages[name]
			out, replaced := cp.Encode(nil, s)
			for _, b := range out {
				if (b < 0x20 && b != '\n') || b == 0x7f {
					t.Fatalf("%s: control byte %02X in the output of %q: text must never carry commands", name, b, s)
				}
			}
			if replaced > 0 && bytes.IndexByte(out, Replacement) < 0 {
				t.Fatalf("%s: %d replaced but no %q printed for %q", name, replaced, Replacement, s)
			}
			// One byte per character: columns stay aligned.
			if n := utf8.RuneCountInString(s); utf8.ValidString(s) && len(out) > n {
				t.Fatalf("%s: %q gave %d bytes for %d characters", name, s, len(out), n)
			}
		}
	})
}

func TestReceiptWithLogoAndEAN13(t *testing.T) {
	r := fixtures.Receipt("es")
	r.Barcode = "400638133393"
	logo := image.NewGray(image.Rect(0, 0, 16, 1)) // all black
	l := DefaultLayout()
	l.Logo, l.Barcode, l.QR, l.PartialCut = logo, "ean13", false, false
	got, _ := Receipt(r, l)
	assert.True(t, bytes.HasPrefix(got, []byte{0x1b, 0x40, 0x1b, 0x74, 19, 0x1b, 0x4d, 0, 0x1b, 0x61, 1, 0x1d, 0x76, 0x30, 0, 2, 0, 1, 0, 0xff, 0xff, 0x1b, 0x61, 0}),
		"init, font A, centred GS v 0 logo of 2 bytes × 1 row, left: % X", got[:24])
	assert.Contains(t, string(got), "\x1d\x6b\x43\x0d4006381333931", "EAN-13 with its check digit")
	assert.NotContains(t, string(got), "\x1d\x28\x6b", "no QR")
	assert.True(t, bytes.HasSuffix(got, []byte{0x1d, 0x56, 65, 0}), "full cut")
}

func TestMoreBarcodesAndQRLevels(t *testing.T) {
	setup := []byte{0x1d, 0x48, 2, 0x1d, 0x68, 80, 0x1d, 0x77, 2}
	tests := []struct {
		name    string
		do      func(e *Encoder) error
		want    []byte
		wantErr string
	}{
		{"CODE128 set C for digits", func(e *Encoder) error { return e.Code128("00420042") },
			append(setup, 0x1d, 0x6b, 73, 6, '{', 'C', 0, 42, 0, 42), ""},
		{"CODE128 set C, odd last digit in set B", func(e *Encoder) error { return e.Code128("12345") },
			append(setup, 0x1d, 0x6b, 73, 7, '{', 'C', 12, 34, '{', 'B', '5'), ""},
		{"CODE128 three digits stay in set B", func(e *Encoder) error { return e.Code128("123") },
			append(setup, 0x1d, 0x6b, 73, 5, '{', 'B', '1', '2', '3'), ""},
		{"EAN-8 adds check digit", func(e *Encoder) error { return e.EAN8("9638507") },
			append(setup, append([]byte{0x1d, 0x6b, 68, 8}, "96385074"...)...), ""},
		{"EAN-8 checks check digit", func(e *Encoder) error { return e.EAN8("96385075") }, nil, "check digit should be 4"},
		{"UPC-A adds check digit", func(e *Encoder) error { return e.UPCA("03600029145") },
			append(setup, append([]byte{0x1d, 0x6b, 65, 12}, "036000291452"...)...), ""},
		{"UPC-A length", func(e *Encoder) error { return e.UPCA("0360002914") }, nil, "needs 11 or 12 digits"},
		{"QR level H", func(e *Encoder) error { return e.QRCode("R1", 4, QRLevelH) }, []byte{
			0x1d, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0,
			0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x43, 4,
			0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x33,
			0x1d, 0x28, 0x6b, 5, 0, 0x31, 0x50, 0x30, 'R', '1',
			0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := NewEncoder(DefaultCodePage)
			err := tc.do(e)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Empty(t, e.Bytes())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, Describe(tc.want), Describe(e.Bytes()))
		})
	}
	for s, want := range map[string]QRLevel{"l": QRLevelL, "": QRLevelM, "Q": QRLevelQ, "h": QRLevelH} {
		got, err := ParseQRLevel(s)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParseQRLevel("X")
	assert.Error(t, err)
}

func TestEveryCodePage(t *testing.T) {
	tests := []struct {
		cp   string
		n    byte
		in   string
		want []byte
	}{
		{"cp437", 0, "é", []byte{0x82}},
		{"katakana", 1, "ｱｲｳ A", []byte{0xb1, 0xb2, 0xb3, ' ', 'A'}},
		{"cp850", 2, "ß", []byte{0xe1}},
		{"cp860", 3, "ã", []byte{0x84}},
		{"cp863", 4, "é", []byte{0x82}},
		{"cp865", 5, "ø", []byte{0x9b}},
		{"iso8859-7", 15, "Ω", []byte{0xd9}},
		{"wpc1252", 16, "€", []byte{0x80}},
		{"pc866", 17, "Я", []byte{0x9f}},
		{"pc852", 18, "ł", []byte{0x88}},
		{"pc858", 19, "€", []byte{0xd5}},
		{"cp855", 34, "я", []byte{0xde}},
		{"cp862", 36, "א", []byte{0x80}},
		{"latin2", 39, "ł", []byte{0xb3}},
		{"iso8859-15", 40, "€", []byte{0xa4}},
		{"windows-1250", 45, "ł", []byte{0xb3}},
		{"cp1251", 46, "Я", []byte{0xdf}},
		{"cp1253", 47, "Ω", []byte{0xd9}},
		{"cp1254", 48, "ş", []byte{0xfe}},
		{"cp1255", 49, "א", []byte{0xe0}},
		{"cp1256", 50, "ا", []byte{0xc7}},
		{"cp1257", 51, "ą", []byte{0xe0}},
		{"cp1258", 52, "€", []byte{0x80}},
	}
	for _, tc := range tests {
		t.Run(tc.cp, func(t *testing.T) {
			cp, err := LookupCodePage(tc.cp)
			require.NoError(t, err)
			assert.Equal(t, tc.n, cp.N, "ESC t number")
			e := NewEncoder(cp).Init()
			assert.Equal(t, []byte{0x1b, 0x40, 0x1b, 0x74, tc.n}, e.Bytes())
			got, n := cp.Encode(nil, tc.in)
			assert.Zero(t, n)
			assert.Equal(t, Describe(tc.want), Describe(got))
			assert.Equal(t, tc.in, cp.Decode(got))
		})
	}
}

func TestErrorCause(t *testing.T) {
	for _, tc := range []struct {
		cause byte
		want  string
	}{
		{escpostest.CutterJam, "cutter jammed"},
		{escpostest.Fatal, "cannot clear"},
		{escpostest.Overheating, "too hot"},
		{escpostest.NoCause, "cutter jam or overheating"},
	} {
		srv := escpostest.NewServer(t)
		srv.SetStatus(escpostest.Failed)
		srv.SetErrorCause(tc.cause)
		spec, _ := transport.ParseSpec(srv.Addr, transport.Line{})
		p := NewPrinter(transport.NewLink("receipt printer", spec), Config{Status: true, StatusTimeout: 300 * time.Millisecond})
		err := p.PrintPage(context.Background(), peripherals.Page{Title: "x"})
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
		assert.Contains(t, string(srv.Bytes()), "\x10\x04\x03", "asked DLE EOT 3")
		p.Close()
	}
	_, err := ParseErrorCause(peripherals.PrinterStatus{}, 0xff)
	assert.Error(t, err)
}

// TestStarLineMode renders a receipt in Star's line mode: its own
// commands for code page, style, alignment, cut and the drawer.
func TestStarLineMode(t *testing.T) {
	r := fixtures.Receipt("de")
	l := DefaultLayout()
	l.Dialect = StarLine
	got, _ := Receipt(r, l)
	path := filepath.Join("testdata", "receipt_de_42_star.bin")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		t.Errorf("rewrote %s: review the diff and run again without -update", path)
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden: run go test -run StarLineMode -update")
	listing := DisassembleStar(got, DefaultCodePage)
	txt := filepath.Join("testdata", "receipt_de_42_star.txt")
	if *update {
		require.NoError(t, os.WriteFile(txt, []byte(listing), 0o644))
	}
	wantTxt, err := os.ReadFile(txt)
	require.NoError(t, err, "missing decoded golden: run go test -run StarLineMode -update")
	assert.Equal(t, string(wantTxt), listing, "the decoded Star receipt differs from %s", txt)
	assert.NotContains(t, listing, "[ESC ", "every Star command the encoder writes is decoded")
	require.True(t, bytes.Equal(want, got), "Star bytes differ from %s", path)
	assert.True(t, bytes.HasPrefix(got, []byte{0x1b, 0x40, 0x1b, 0x1d, 0x74, 4}), "ESC @, ESC GS t 4 (CP858 on Star)")
	assert.True(t, bytes.HasSuffix(got, []byte{0x1b, 0x61, 4, 0x1b, 0x64, 3}), "ESC a 4 feed, ESC d 3 partial cut")
	assert.Contains(t, string(got), "\x1b\x1d\x61\x01", "centred with ESC GS a 1")
	assert.Contains(t, string(got), "\x1b\x45\x1b\x69\x01\x00", "bold ESC E, double height ESC i 1 0")
	assert.Contains(t, string(got), "S001-T01-000042\n", "no CODE128 in line mode: the number as text")
	assert.NotContains(t, string(got), "\x1d\x28\x6b", "no ESC/POS QR")
	assert.NotContains(t, string(got), "\x1d\x56", "no ESC/POS cut")

	e := NewEncoderFor(StarLine, DefaultCodePage, 32)
	e.Init().Kick(Pin2, 100, 200).Kick(Pin5, 100, 200).Cut(false)
	assert.Equal(t, "1B 40 1B 1D 74 20 07 1A 1B 64 02", Describe(e.Bytes()), "star_code_page overrides; BEL, SUB, full cut")
	require.NoError(t, NewEncoderFor(StarLine, DefaultCodePage, -1).EAN13("400638133393"))
	b := NewEncoderFor(StarLine, DefaultCodePage, -1)
	_ = b.EAN13("400638133393")
	assert.Equal(t, "1B 62 03 02 02 50 34 30 30 36 33 38 31 33 33 33 39 33 1E", Describe(b.Bytes()), "ESC b 3 … RS, as uniCenta's CodesStar")
	d, err := ParseDialect("star")
	require.NoError(t, err)
	assert.Equal(t, StarLine, d)
	_, err = ParseDialect("zpl")
	assert.Error(t, err)
}
