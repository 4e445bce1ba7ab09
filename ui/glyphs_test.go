package ui

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/theme"
	"golang.org/x/image/font/sfnt"
)

// Every character the screens show is in the fonts Fyne bundles (its text
// font in regular and bold, or its emoji font): a character only a system
// font has shows as a replacement character where there is none (Wine's
// fresh prefix, a bare Windows or Linux). So ⌫ is an icon (numpad.go), a
// minus in a label is "-", not U+2212. Checked: the string literals of the
// ui packages (comments aside) and the translations.
func TestLabelsUseBundledGlyphs(t *testing.T) {
	var fonts []*sfnt.Font
	for _, r := range []interface{ Content() []byte }{theme.DefaultTextFont(), theme.DefaultTextBoldFont(), theme.DefaultEmojiFont()} {
		f, err := sfnt.Parse(r.Content())
		if err != nil {
			t.Fatal(err)
		}
		fonts = append(fonts, f)
	}
	var buf sfnt.Buffer
	has := func(f *sfnt.Font, r rune) bool {
		g, err := f.GlyphIndex(&buf, r)
		return err == nil && g != 0
	}
	drawn := func(r rune) bool {
		if r < 0x80 && r >= 0x20 || r == '\n' || r == '\t' {
			return true
		}
		text := has(fonts[0], r) && has(fonts[1], r) // a label may be bold
		return text || has(fonts[2], r)
	}
	check := func(where, s string) {
		for _, r := range s {
			if !drawn(r) {
				t.Errorf("%s: %q has %U (%c), which Fyne's bundled fonts lack: use an icon or another character", where, s, r, r)
			}
		}
	}

	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && (lit.Kind == token.STRING || lit.Kind == token.CHAR) {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Errorf("%s: %v", fset.Position(lit.Pos()), err)
				}
				check(fset.Position(lit.Pos()).String(), s)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	files, err := filepath.Glob(filepath.Join("..", "assets", "i18n", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no translations found (%v)", err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]any // a message, or its plural forms
		if err := json.Unmarshal(b, &msgs); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var walk func(where string, v any)
		walk = func(where string, v any) {
			switch v := v.(type) {
			case string:
				check(where, v)
			case map[string]any:
				for k, x := range v {
					walk(where+"."+k, x)
				}
			}
		}
		for k, v := range msgs {
			walk(filepath.Base(file)+" "+k, v)
		}
	}
}
