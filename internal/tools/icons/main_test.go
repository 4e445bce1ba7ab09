package main

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// The icon renders at every size, is not blank, and the .ico's directory
// points at valid PNGs of the sizes it claims.
func TestIcons(t *testing.T) {
	out := t.TempDir()
	if err := run("../../../assets/icons/opentill.svg", out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "opentill-256.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 256 {
		t.Fatalf("width %d", img.Bounds().Dx())
	}
	if _, _, _, a := img.At(128, 128).RGBA(); a == 0 {
		t.Error("the icon's centre is transparent: nothing was drawn")
	}
	ico, err := os.ReadFile(filepath.Join(out, "opentill.ico"))
	if err != nil {
		t.Fatal(err)
	}
	if binary.LittleEndian.Uint16(ico[2:]) != 1 || int(binary.LittleEndian.Uint16(ico[4:])) != len(icoSizes) {
		t.Fatalf("ico header % x", ico[:6])
	}
	for i, n := range icoSizes {
		e := ico[6+16*i:]
		size, off := binary.LittleEndian.Uint32(e[8:]), binary.LittleEndian.Uint32(e[12:])
		img, err := png.Decode(bytes.NewReader(ico[off : off+size]))
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if img.Bounds().Dx() != n || (n < 256 && int(e[0]) != n) || (n == 256 && e[0] != 0) {
			t.Errorf("entry %d: %d px, directory says %d", i, img.Bounds().Dx(), e[0])
		}
	}
}
