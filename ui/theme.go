package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Look is the till's theme choice.
type Look int

// Looks.
const (
	Light        Look = iota
	Dark              // for dim shops and evening shifts
	HighContrast      // black on white, strong borders: for low vision and bright sun
)

// tillTheme is Fyne's default theme with a fixed variant, larger sizes
// (touch targets of at least 48 px at scale 1), the colours of the button
// groups, and a high-contrast look.
type tillTheme struct {
	variant  fyne.ThemeVariant
	contrast bool
}

var _ fyne.Theme = (*tillTheme)(nil)

func newTheme(l Look) *tillTheme {
	switch l {
	case Dark:
		return &tillTheme{variant: theme.VariantDark}
	case HighContrast:
		return &tillTheme{variant: theme.VariantLight, contrast: true}
	}
	return &tillTheme{variant: theme.VariantLight}
}

var (
	black = color.NRGBA{A: 0xff}
	white = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
)

func (t *tillTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if c, ok := t.groupColor(n); ok {
		return c
	}
	if t.contrast {
		switch n {
		case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameOverlayBackground, theme.ColorNameMenuBackground:
			return white
		case theme.ColorNameForeground, theme.ColorNameInputBorder, theme.ColorNameSeparator, theme.ColorNameShadow, theme.ColorNameForegroundOnWarning:
			return black
		case theme.ColorNameButton:
			return color.NRGBA{R: 0xd8, G: 0xd8, B: 0xd8, A: 0xff}
		case theme.ColorNamePlaceHolder, theme.ColorNameDisabled:
			return color.NRGBA{R: 0x44, G: 0x44, B: 0x44, A: 0xff}
		case theme.ColorNamePrimary, theme.ColorNameHyperlink, theme.ColorNameFocus:
			return color.NRGBA{R: 0x00, G: 0x2f, B: 0xa7, A: 0xff}
		case theme.ColorNameError:
			return color.NRGBA{R: 0xa5, G: 0x00, B: 0x00, A: 0xff}
		case theme.ColorNameSuccess:
			return color.NRGBA{R: 0x00, G: 0x5c, B: 0x1a, A: 0xff}
		case theme.ColorNameSelection:
			return color.NRGBA{R: 0xff, G: 0xe0, B: 0x66, A: 0xff}
		case theme.ColorNameHover, theme.ColorNamePressed:
			return color.NRGBA{R: 0xb0, G: 0xb0, B: 0xb0, A: 0xff}
		}
	}
	return theme.DefaultTheme().Color(n, t.variant)
}

// groupColor is the colour bar of a group of function buttons.
func (t *tillTheme) groupColor(n fyne.ThemeColorName) (color.Color, bool) {
	dark := t.variant == theme.VariantDark
	pick := func(light, darkC color.NRGBA) color.Color {
		if dark {
			return darkC
		}
		if t.contrast {
			return color.NRGBA{R: light.R / 2, G: light.G / 2, B: light.B / 2, A: 0xff}
		}
		return light
	}
	switch n {
	case colorGroupSale:
		return pick(color.NRGBA{R: 0x2e, G: 0x9d, B: 0x57, A: 0xff}, color.NRGBA{R: 0x5c, G: 0xd6, B: 0x8a, A: 0xff}), true
	case colorGroupDiscount:
		return pick(color.NRGBA{R: 0xe8, G: 0x8a, B: 0x0c, A: 0xff}, color.NRGBA{R: 0xff, G: 0xb3, B: 0x4d, A: 0xff}), true
	case colorGroupPayment:
		return pick(color.NRGBA{R: 0x1f, G: 0x6f, B: 0xeb, A: 0xff}, color.NRGBA{R: 0x6b, G: 0xa4, B: 0xff, A: 0xff}), true
	case colorGroupTransaction:
		return pick(color.NRGBA{R: 0x8a, G: 0x3f, B: 0xc6, A: 0xff}, color.NRGBA{R: 0xc0, G: 0x8a, B: 0xf0, A: 0xff}), true
	case colorGroupManager:
		return pick(color.NRGBA{R: 0x6b, G: 0x72, B: 0x80, A: 0xff}, color.NRGBA{R: 0xa0, G: 0xa8, B: 0xb4, A: 0xff}), true
	}
	return nil, false
}

func (t *tillTheme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

func (t *tillTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *tillTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 16
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameSubHeadingText:
		return 20
	case theme.SizeNamePadding:
		return 4
	case theme.SizeNameInnerPadding:
		return 10
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return 6
	case theme.SizeNameInputBorder:
		if t.contrast {
			return 2
		}
	}
	return theme.DefaultTheme().Size(n)
}
