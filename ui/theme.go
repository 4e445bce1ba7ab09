package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// tillTheme is Fyne's default theme with a fixed light or dark variant and
// larger sizes: touch targets of at least 48 px at scale 1.
type tillTheme struct {
	variant fyne.ThemeVariant
}

var _ fyne.Theme = (*tillTheme)(nil)

func newTheme(dark bool) *tillTheme {
	if dark {
		return &tillTheme{variant: theme.VariantDark}
	}
	return &tillTheme{variant: theme.VariantLight}
}

func (t *tillTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return theme.DefaultTheme().Color(n, t.variant)
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
	}
	return theme.DefaultTheme().Size(n)
}
