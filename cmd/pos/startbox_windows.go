//go:build windows

package main

import "golang.org/x/sys/windows"

// showStartError shows text in a message box (user32 MessageBoxW) and
// returns when it is closed: pos.exe is a GUI program without a console,
// so a double-clicked till says nothing on stderr. Nothing else needs to
// work for it (no window of the till's, no OpenGL).
func showStartError(text string) {
	msg, err := windows.UTF16PtrFromString(text)
	if err != nil { // a NUL in the text: say at least that it failed
		msg, _ = windows.UTF16PtrFromString("OpenTill could not start.")
	}
	title, _ := windows.UTF16PtrFromString("OpenTill")
	_, _ = windows.MessageBox(0, msg, title, windows.MB_OK|windows.MB_ICONERROR|windows.MB_SETFOREGROUND|windows.MB_TOPMOST)
}
