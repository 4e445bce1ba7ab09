package datadir

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestForOS(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	home := func() (string, error) { return "/home/ana", nil }
	noHome := func() (string, error) { return "", errors.New("no home") }
	tests := []struct {
		goos string
		env  map[string]string
		home func() (string, error)
		want string
	}{
		{"windows", map[string]string{"LOCALAPPDATA": `C:\Users\ana\AppData\Local`}, home, filepath.Join(`C:\Users\ana\AppData\Local`, "OpenTill", "demo")},
		{"windows", nil, home, filepath.Join("/home/ana", "AppData", "Local", "OpenTill", "demo")},
		{"linux", map[string]string{"XDG_DATA_HOME": "/srv/data"}, home, filepath.Join("/srv/data", "opentill", "demo")},
		{"linux", nil, home, filepath.Join("/home/ana", ".local", "share", "opentill", "demo")},
	}
	for _, tc := range tests {
		if got := forOS(tc.goos, env(tc.env), tc.home); got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.goos, tc.env, got, tc.want)
		}
	}
	if got := forOS("linux", env(nil), noHome); filepath.Base(got) != "demo" {
		t.Errorf("without a home folder: %q", got)
	}
}
