package ui

// The About dialog (Settings → About OpenTill): the release, the commit and
// the build date of this till (internal/version, set by -ldflags at make
// dist), what support asks for first.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/ui/l10n"
)

// aboutItems are the settings dialog's entry for the About dialog.
func (u *UI) aboutItems() []fyne.CanvasObject {
	return []fyne.CanvasObject{widget.NewSeparator(),
		widget.NewButtonWithIcon(u.L.T("settings.about"), theme.InfoIcon(), func() { u.showAbout() })}
}

// AboutText is the About dialog's text.
func (u *UI) AboutText() string {
	in := version.Get()
	return u.L.T("about.text", l10n.Data{"Version": in.Version, "Commit": in.ShortCommit(), "Built": in.Date,
		"Platform": in.Platform(), "Go": in.Go})
}

// showAbout shows the About dialog.
func (u *UI) showAbout() {
	lbl := widget.NewLabel(u.AboutText())
	lbl.Selectable = true // support copies it into a ticket
	u.setDialog(dialog.NewCustom(u.L.T("about.title"), u.L.T("button.close"), container.NewPadded(lbl), u.win))
}
