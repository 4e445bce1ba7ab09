package virtual

import (
	"image"
	"image/color"
	"image/draw"
	"sync"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/skip2/go-qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"github.com/opentill/opentill/pos/receipt"
)

// PNG geometry: Go Mono at 16 px, a margin around the strip of paper.
const (
	pngMargin     = 16
	pngBarHeight  = 60
	pngQRModule   = 4
	pngLogoMaxDot = 384 // a logo is drawn at most this wide, as an 80 mm printer's head
)

// RenderDocument draws a receipt document as the printer prints it, on a
// white strip of paper columns characters wide, in Go Mono (which has
// every Latin letter): the document's laid-out lines (receipt.Document.
// Layout) with their emphasis as data says — bold, double height or width —,
// the barcode block as a CODE128 barcode with its number under it, QR
// blocks as QR codes and the logo block as logo (when not nil). The image
// has two colours, white paper and black dots, as a thermal printer prints
// (and PNG stores it in one bit a pixel).
func RenderDocument(d *receipt.Document, columns int, logo image.Image) *image.Paletted {
	reg, bold := faces()
	cw, lh := cellSize(reg)
	lines := d.Layout(columns)
	type drawn struct {
		line receipt.PrintLine
		img  image.Image // a code or the logo, drawn centred
		h    int
	}
	parts := make([]drawn, 0, len(lines))
	height := 2 * pngMargin
	for _, l := range lines {
		p := drawn{line: l, h: lh}
		switch b := l.Block.(type) {
		case *receipt.QR:
			if q, err := qrcode.New(b.Data, qrcode.Medium); err == nil {
				q.DisableBorder = true
				p.img = q.Image(pngQRModule * len(q.Bitmap()))
				p.h = p.img.Bounds().Dy() + lh/2
			} else {
				p.h = 0
			}
		case *receipt.Barcode:
			if bc, err := code128.Encode(b.Data); err == nil {
				if sc, err := barcode.Scale(bc, bc.Bounds().Dx()*2, pngBarHeight); err == nil {
					p.img = sc
					p.h = pngBarHeight + lh + lh/2
				}
			}
		case *receipt.Logo:
			p.h = 0
			if logo != nil {
				p.img = logo
				p.h = min(logo.Bounds().Dy(), 4*pngLogoMaxDot) + lh/2
			}
		default:
			if l.Style.Size == receipt.Tall || l.Style.Size == receipt.Double {
				p.h = 2 * lh
			}
		}
		height += p.h
		parts = append(parts, p)
	}
	width := columns*cw + 2*pngMargin
	img := image.NewPaletted(image.Rect(0, 0, width, height), paper)
	y := pngMargin
	for _, p := range parts {
		switch {
		case p.img != nil:
			b := p.img.Bounds()
			at := image.Pt((width-min(b.Dx(), width))/2, y)
			draw.Draw(img, image.Rectangle{Min: at, Max: at.Add(b.Size())}, p.img, b.Min, draw.Src)
			if _, ok := p.line.Block.(*receipt.Barcode); ok {
				drawText(img, reg, p.line.Text, pngMargin, y+pngBarHeight+lh-4, 1, 1)
			}
		default:
			face := reg
			if p.line.Style.Bold {
				face = bold
			}
			sx, sy := 1, 1
			switch p.line.Style.Size {
			case receipt.Tall:
				sy = 2
			case receipt.Wide:
				sx = 2
			case receipt.Double:
				sx, sy = 2, 2
			}
			drawText(img, face, p.line.Text, pngMargin, y+p.h-4, sx, sy)
		}
		y += p.h
	}
	return img
}

// paper is the palette of a receipt: white paper (index 0), black dots.
var paper = color.Palette{color.White, color.Black}

// cellSize is the advance of one character and the line height.
func cellSize(f font.Face) (int, int) {
	adv, _ := f.GlyphAdvance('M')
	return adv.Ceil(), f.Metrics().Height.Ceil() + 2
}

// glyph is a rasterised character, kept once per face and rune.
type glyph struct {
	mask *image.Alpha
	off  image.Point // from the pen position on the baseline to the mask's corner
	adv  int
}

var glyphs sync.Map // glyphKey → *glyph

type glyphKey struct {
	face font.Face
	r    rune
}

// glyphOf rasterises r in face once; the font is monospaced and every pen
// position whole pixels, so a glyph looks the same wherever it is drawn.
func glyphOf(face font.Face, r rune) *glyph {
	k := glyphKey{face, r}
	if g, ok := glyphs.Load(k); ok {
		return g.(*glyph)
	}
	dr, mask, mp, adv, ok := face.Glyph(fixed.P(0, 0), r)
	if !ok {
		dr, mask, mp, adv, _ = face.Glyph(fixed.P(0, 0), '?')
	}
	a := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
	if mask != nil {
		draw.Draw(a, a.Bounds(), mask, mp, draw.Src)
	}
	g := &glyph{mask: a, off: dr.Min, adv: adv.Round()}
	actual, _ := glyphs.LoadOrStore(k, g)
	return actual.(*glyph)
}

// drawText draws s in black with its baseline at y, each glyph scaled sx
// wide and sy high (whole pixels, as a thermal printer doubles dots); a
// pixel the glyph covers at least half is a dot.
func drawText(dst *image.Paletted, face font.Face, s string, x, y, sx, sy int) {
	for _, r := range s {
		g := glyphOf(face, r)
		b := g.mask.Bounds()
		ox, oy := x+g.off.X*sx, y+g.off.Y*sy
		for my := 0; my < b.Dy(); my++ {
			row := g.mask.Pix[my*g.mask.Stride : my*g.mask.Stride+b.Dx()]
			for mx, a := range row {
				if a < 0x80 {
					continue
				}
				for dy := 0; dy < sy; dy++ {
					py := oy + my*sy + dy
					if py < 0 || py >= dst.Rect.Dy() {
						continue
					}
					for dx := 0; dx < sx; dx++ {
						px := ox + mx*sx + dx
						if px < 0 || px >= dst.Rect.Dx() {
							continue
						}
						dst.Pix[py*dst.Stride+px] = 1
					}
				}
			}
		}
		x += g.adv * sx
	}
}
