package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/opentill/opentill/ui/l10n"
)

// Start-up errors must reach someone. On Windows the till is a GUI program
// with no console, so what it writes to stderr is lost: every start-up
// error is also appended to start-errors.log in the till's data folder (or
// the demo folder), and on Windows shown in a message box of the system's
// own (startbox_windows.go), which needs neither OpenGL nor a Fyne app: the
// error may be that there is none.

// startLogName is the file start-up errors are appended to.
const startLogName = "start-errors.log"

// logStartError appends err to the start-up log of the data folder and
// returns the log's path ("" when it could not be written).
func logStartError(data string, err error, now time.Time) string {
	if data == "" {
		data = defaultDataDir()
	}
	if mkErr := os.MkdirAll(data, 0o700); mkErr != nil {
		return ""
	}
	path := filepath.Join(data, startLogName)
	f, openErr := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if openErr != nil {
		return ""
	}
	_, werr := fmt.Fprintf(f, "%s opentill: %v\n", now.Format(time.RFC3339), err)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return ""
	}
	return path
}

// reportStartError says why the till did not start: on stderr, in the
// start-up log, and on Windows in a message box (showStartError).
func reportStartError(o options, err error) {
	fmt.Fprintln(os.Stderr, "opentill:", err)
	path := logStartError(o.data, err, time.Now())
	if path != "" {
		fmt.Fprintln(os.Stderr, "opentill: this message is also in", path)
	}
	showStartError(startErrorText(l10n.Must(l10n.Match(firstNonEmpty(o.lang, os.Getenv("LANG")))), err, path))
}

// startErrorText is what the message box says: that the till could not
// start, why, and where that is written down ("" when it could not be).
func startErrorText(L *l10n.Localizer, err error, path string) string {
	text := L.T("start.failed") + "\n\n" + err.Error()
	if path != "" {
		text += "\n\n" + L.T("start.logged", l10n.Data{"Path": path})
	}
	return text
}
