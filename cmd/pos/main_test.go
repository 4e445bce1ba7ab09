package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	if os.Getenv("OPENTILL_TEST_MAIN") == "1" {
		os.Args = append([]string{"pos"}, strings.Fields(os.Getenv("OPENTILL_TEST_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestFlags(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/srv/data")
	o, err := parseFlags(nil)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join("/srv/data", "opentill", "demo"), o.data)
	assert.True(t, o.demo, "the default store is the demo store: show its operators")
	assert.Equal(t, "auto", o.layout)

	o, err = parseFlags([]string{"--data", "/tmp/store", "--lang", "fr", "--layout", "tablet", "--fullscreen", "--dark"})
	require.NoError(t, err)
	assert.Equal(t, "/tmp/store", o.data)
	assert.False(t, o.demo, "another store shows no demo credentials unless --demo")
	assert.Equal(t, "fr", o.lang)
	assert.True(t, o.fullscreen)
	assert.True(t, o.dark)

	_, err = parseFlags([]string{"--bogus"})
	assert.Error(t, err)
}

// Without a display the till exits with a clear message (in the language
// asked for) instead of a toolkit crash.
func TestNoDisplayExitsWithMessage(t *testing.T) {
	for lang, want := range map[string]string{
		"":   "No display was found. OpenTill needs a graphical desktop",
		"de": "Kein Bildschirm gefunden.",
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		args := "--data " + t.TempDir()
		if lang != "" {
			args += " --lang " + lang
		}
		cmd.Env = append(os.Environ(), "OPENTILL_TEST_MAIN=1", "OPENTILL_TEST_ARGS="+args, "DISPLAY=", "WAYLAND_DISPLAY=", "LANG=C")
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, string(out))
		assert.Equal(t, 3, ee.ExitCode())
		assert.Contains(t, string(out), want)
		assert.Contains(t, string(out), "posctl till")
	}
}
