package clocale

import (
	"os"
	"testing"
)

func TestIsC(t *testing.T) {
	for v, want := range map[string]bool{"C": true, "C.UTF-8": true, "C.utf8": true, "POSIX": true, "en_US.UTF-8": false, "de": false, "": false} {
		if isC(v) != want {
			t.Errorf("isC(%q) = %v", v, !want)
		}
	}
}

func TestInitReplacesTheCLocale(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_ALL", "C")
	clean()
	if got := os.Getenv("LANG"); got != "en_US.UTF-8" {
		t.Errorf("LANG = %q", got)
	}
	if _, ok := os.LookupEnv("LC_ALL"); ok {
		t.Error("LC_ALL=C was kept")
	}
}
