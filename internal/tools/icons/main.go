// Command icons renders the app icon (assets/icons/opentill.svg) to the
// files the packages need: PNGs for the Linux icon theme and FyneApp.toml,
// and a Windows .ico for the till's executable. make dist runs it:
//
//	go run ./internal/tools/icons -svg assets/icons/opentill.svg -out DIR
//
// writes DIR/opentill-<N>.png (16 … 512) and DIR/opentill.ico (16 … 256,
// PNG-compressed entries, which Windows reads since Vista).
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"

	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"
)

var pngSizes = []int{16, 32, 48, 64, 128, 256, 512}
var icoSizes = []int{16, 32, 48, 64, 128, 256}

func main() {
	svg := flag.String("svg", "assets/icons/opentill.svg", "the icon's SVG")
	out := flag.String("out", "", "folder to write the PNGs and the .ico into")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "icons: -out DIR is required")
		os.Exit(2)
	}
	if err := run(*svg, *out); err != nil {
		fmt.Fprintln(os.Stderr, "icons:", err)
		os.Exit(1)
	}
}

func run(svgPath, out string) error {
	src, err := os.ReadFile(svgPath)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	pngs := map[int][]byte{}
	for _, n := range pngSizes {
		b, err := renderPNG(src, n)
		if err != nil {
			return fmt.Errorf("%d px: %w", n, err)
		}
		pngs[n] = b
		if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("opentill-%d.png", n)), b, 0o644); err != nil {
			return err
		}
	}
	f, err := os.Create(filepath.Join(out, "opentill.ico"))
	if err != nil {
		return err
	}
	var imgs [][]byte
	for _, n := range icoSizes {
		imgs = append(imgs, pngs[n])
	}
	if err := writeICO(f, icoSizes, imgs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// renderPNG rasterises the SVG to an n×n PNG.
func renderPNG(svg []byte, n int) ([]byte, error) {
	icon, err := oksvg.ReadIconStream(bytes.NewReader(svg))
	if err != nil {
		return nil, err
	}
	icon.SetTarget(0, 0, float64(n), float64(n))
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	icon.Draw(rasterx.NewDasher(n, n, rasterx.NewScannerGV(n, n, img, img.Bounds())), 1)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeICO writes an ICO file whose entries are PNG images.
func writeICO(w io.Writer, sizes []int, pngs [][]byte) error {
	hdr := []uint16{0, 1, uint16(len(pngs))} // reserved, type 1 = icon, count
	if err := binary.Write(w, binary.LittleEndian, hdr); err != nil {
		return err
	}
	offset := uint32(6 + 16*len(pngs))
	for i, b := range pngs {
		dim := uint8(sizes[i])
		if sizes[i] >= 256 {
			dim = 0 // 0 means 256
		}
		e := struct {
			W, H, Colors, Reserved uint8
			Planes, BitCount       uint16
			Size, Offset           uint32
		}{dim, dim, 0, 0, 1, 32, uint32(len(b)), offset}
		if err := binary.Write(w, binary.LittleEndian, e); err != nil {
			return err
		}
		offset += uint32(len(b))
	}
	for _, b := range pngs {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}
