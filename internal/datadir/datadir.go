// Package datadir says where a till keeps its data folder when none is
// given: per user, in the platform's place for local application data.
//
//	Windows  %LOCALAPPDATA%\OpenTill\demo
//	Linux    $XDG_DATA_HOME/opentill/demo (~/.local/share/opentill/demo)
//
// Only the demo till uses the default; a real till is started with --data
// (the Windows shortcut and the Linux desktop file pass none, so a first
// start opens the demo store).
package datadir

import (
	"os"
	"path/filepath"
	"runtime"
)

// Default is the demo till's data folder for this user on this platform.
func Default() string { return forOS(runtime.GOOS, os.Getenv, os.UserHomeDir) }

// Root is the folder Default lives in: OpenTill's per-user data folder.
func Root() string { return filepath.Dir(Default()) }

func forOS(goos string, getenv func(string) string, home func() (string, error)) string {
	if goos == "windows" {
		base := getenv("LOCALAPPDATA")
		if base == "" {
			if h, err := home(); err == nil {
				base = filepath.Join(h, "AppData", "Local")
			} else {
				base = os.TempDir()
			}
		}
		return filepath.Join(base, "OpenTill", "demo")
	}
	base := getenv("XDG_DATA_HOME")
	if base == "" {
		h, err := home()
		if err != nil {
			h = os.TempDir()
		}
		base = filepath.Join(h, ".local", "share")
	}
	return filepath.Join(base, "opentill", "demo")
}
