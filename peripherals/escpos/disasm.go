package escpos

import (
	"fmt"
	"strings"
)

// Disassemble turns the ESC/POS bytes the encoder writes into a readable
// listing for reviews and test failures: one line per printed line, the
// text in the code page and each command in brackets where it stands
// ("[BOLD ON][SIZE 1x2]SUMME …", "[CODE128 S001-T01-000042]",
// "[QR store 15 bytes: S001-T01-000042]"). Bytes it does not know are shown
// in hex, so that nothing is hidden. It reads ESC/POS, not Star line mode.
func Disassemble(b []byte, cp CodePage) string {
	l := &listing{b: b, cp: cp}
	flush, cmd, arg := l.flush, l.cmd, l.arg
	onOff := func(n int) string {
		if n&1 == 1 {
			return "ON"
		}
		return "OFF"
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == LF:
			flush()
			l.out.WriteByte('\n')
		case c == ESC && i+1 < len(b):
			switch b[i+1] {
			case '@':
				cmd("INIT")
				i++
			case 't':
				cmd("CODEPAGE %d", arg(i+2))
				i += 2
			case 'E':
				cmd("BOLD %s", onOff(arg(i+2)))
				i += 2
			case '-':
				cmd("UNDERLINE %s", onOff(arg(i+2)))
				i += 2
			case 'a':
				cmd("ALIGN %s", [...]string{"LEFT", "CENTER", "RIGHT", "?"}[min(max(arg(i+2), 0), 3)])
				i += 2
			case 'M':
				cmd("FONT %s", [...]string{"A", "B"}[arg(i+2)&1])
				i += 2
			case 'd':
				cmd("FEED %d", arg(i+2))
				i += 2
			case 'p':
				cmd("KICK pin %d %d/%d", arg(i+2), arg(i+3), arg(i+4))
				i += 4
			default:
				cmd("ESC %02X", b[i+1])
				i++
			}
		case c == GS && i+1 < len(b):
			switch b[i+1] {
			case '!':
				n := arg(i + 2)
				cmd("SIZE %dx%d", n>>4+1, n&0xf+1)
				i += 2
			case 'V':
				kind := "FULL"
				if arg(i+2) == 66 {
					kind = "PARTIAL"
				}
				cmd("CUT %s", kind)
				i += 3
			case 'H':
				cmd("HRI %d", arg(i+2))
				i += 2
			case 'h':
				cmd("BARCODE HEIGHT %d", arg(i+2))
				i += 2
			case 'w':
				cmd("BARCODE WIDTH %d", arg(i+2))
				i += 2
			case 'k':
				m, n := arg(i+2), arg(i+3)
				end := min(i+4+max(n, 0), len(b))
				name := map[int]string{65: "UPC-A", 67: "EAN-13", 68: "EAN-8", 73: "CODE128"}[m]
				if name == "" {
					name = fmt.Sprintf("BARCODE %d", m)
				}
				cmd("%s %s", name, b[min(i+4, end):end])
				i = end - 1
			case '(':
				n := arg(i+3) | arg(i+4)<<8
				end := min(i+5+max(n, 0), len(b))
				body := b[min(i+5, end):end]
				switch {
				case len(body) >= 3 && body[1] == 80:
					cmd("QR store %d bytes: %s", len(body)-3, body[3:])
				case len(body) >= 2 && body[1] == 81:
					cmd("QR print")
				case len(body) >= 3 && body[1] == 65:
					cmd("QR model %d", int(body[2])-48)
				case len(body) >= 3 && body[1] == 67:
					cmd("QR module %d", body[2])
				case len(body) >= 3 && body[1] == 69:
					cmd("QR level %c", "LMQH"[min(int(body[2])-48, 3)])
				default:
					cmd("GS ( k % X", body)
				}
				i = end - 1
			case 'v':
				w, h := (arg(i+4)|arg(i+5)<<8)*8, arg(i+6)|arg(i+7)<<8
				cmd("IMAGE %dx%d", w, h)
				i = min(i+7+w/8*h, len(b)-1)
			default:
				cmd("GS %02X", b[i+1])
				i++
			}
		case c < 0x20 || c == 0x7f:
			cmd("%02X", c)
		default:
			l.text = append(l.text, c)
		}
	}
	flush()
	return l.out.String()
}

// DisassembleStar is Disassemble for Star's line mode: the commands the
// encoder writes in that dialect ("[ALIGN CENTER]", "[SIZE 1x2]",
// "[EAN-13 400638133393]", "[CUT PARTIAL]"), unknown bytes in hex.
func DisassembleStar(b []byte, cp CodePage) string {
	l := &listing{b: b, cp: cp}
	flush, cmd, arg := l.flush, l.cmd, l.arg
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == LF:
			flush()
			l.out.WriteByte('\n')
		case c == 0x07:
			cmd("DRAWER 1")
		case c == 0x1a:
			cmd("DRAWER 2")
		case c == ESC && i+1 < len(b):
			switch b[i+1] {
			case '@':
				cmd("INIT")
				i++
			case GS:
				switch arg(i + 2) {
				case 't':
					cmd("CODEPAGE %d", arg(i+3))
				case 'a':
					cmd("ALIGN %s", [...]string{"LEFT", "CENTER", "RIGHT", "?"}[min(max(arg(i+3), 0), 3)])
				default:
					cmd("ESC GS %02X %02X", arg(i+2), arg(i+3))
				}
				i += 3
			case 'E':
				cmd("BOLD ON")
				i++
			case 'F':
				cmd("BOLD OFF")
				i++
			case 'i':
				cmd("SIZE %dx%d", arg(i+3)+1, arg(i+2)+1)
				i += 3
			case 0x1e:
				if arg(i+2) == 'F' {
					cmd("FONT %s", [...]string{"A", "B"}[arg(i+3)&1])
					i += 3
				} else {
					cmd("ESC RS %02X", arg(i+2))
					i += 2
				}
			case 'a':
				cmd("FEED %d", arg(i+2))
				i += 2
			case 'd':
				kind := map[int]string{2: "FULL", 3: "PARTIAL"}[arg(i+2)]
				if kind == "" {
					kind = fmt.Sprint(arg(i + 2))
				}
				cmd("CUT %s", kind)
				i += 2
			case 'b':
				end := i + 6
				for end < len(b) && b[end] != 0x1e {
					end++
				}
				name := map[int]string{1: "UPC-A", 2: "EAN-8", 3: "EAN-13"}[arg(i+2)]
				if name == "" {
					name = fmt.Sprintf("BARCODE %d", arg(i+2))
				}
				cmd("%s %s", name, b[min(i+6, end):end])
				i = end
			default:
				cmd("ESC %02X", b[i+1])
				i++
			}
		case c < 0x20 || c == 0x7f:
			cmd("%02X", c)
		default:
			l.text = append(l.text, c)
		}
	}
	flush()
	return l.out.String()
}

// listing is a disassembly being written: the text of the current line
// (decoded when a command or a line break comes) and the commands.
type listing struct {
	b    []byte
	cp   CodePage
	out  strings.Builder
	text []byte
}

func (l *listing) flush() {
	if len(l.text) > 0 {
		l.out.WriteString(l.cp.Decode(l.text))
		l.text = l.text[:0]
	}
}

func (l *listing) cmd(f string, a ...any) {
	l.flush()
	fmt.Fprintf(&l.out, "["+f+"]", a...)
}

// arg is the byte at i, or -1 past the end.
func (l *listing) arg(i int) int {
	if i < len(l.b) {
		return int(l.b[i])
	}
	return -1
}
