// Package sutest opens the scale unit's storage for tests on each backend
// the suites run against: SQLite in a temporary folder, and PostgreSQL in
// a throwaway cluster (internal/pgtest), so one suite holds both to the
// same behaviour. A test package that uses it calls Main from TestMain.
package sutest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/internal/pgtest"
	"github.com/opentill/opentill/offline/scaleunit"
)

// Backends are the storage engines the suites run on.
var Backends = []string{"sqlite", "postgres"}

// EnvBackend names the backend a whole test package runs its server on
// (make test runs the sync suites once per backend); "" is SQLite.
const EnvBackend = "SCALEUNIT_TEST_DB"

// Main runs the tests and stops the PostgreSQL cluster if one started.
// Unless $SCALEUNIT_PIN_KEY names one, every storage the tests open shares
// a PIN key file in a temporary folder (a PostgreSQL database has no data
// folder to keep one in), removed at the end.
func Main(m *testing.M) {
	if os.Getenv(scaleunit.EnvPINKey) != "" {
		os.Exit(pgtest.Run(m))
	}
	dir, err := os.MkdirTemp("", "opentill-pin-key-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "making a folder for the tests' PIN key:", err)
		os.Exit(2)
	}
	if err := os.Setenv(scaleunit.EnvPINKey, filepath.Join(dir, scaleunit.PINKeyFile)); err != nil {
		fmt.Fprintln(os.Stderr, "naming the tests' PIN key:", err)
		os.Exit(2)
	}
	code := pgtest.Run(m)
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, "removing the tests' PIN key:", err)
	}
	os.Exit(code)
}

// Backend is the backend of this run of the package's tests.
func Backend() string {
	if b := os.Getenv(EnvBackend); b != "" {
		return b
	}
	return "sqlite"
}

// Where returns a new, empty place for a scale unit's storage on a
// backend: a temporary folder (SQLite) or a new database's URL (PostgreSQL).
func Where(t testing.TB, backend string) string {
	t.Helper()
	switch backend {
	case "sqlite":
		return t.TempDir()
	case "postgres":
		return pgtest.Shared(t).DB(t)
	}
	t.Fatalf("unknown storage backend %q (%s takes sqlite or postgres)", backend, EnvBackend)
	return ""
}

// Open opens a new, empty storage on a backend, closed when the test ends.
func Open(t testing.TB, backend string) (*scaleunit.DB, string) {
	t.Helper()
	where := Where(t, backend)
	st, err := scaleunit.Open(context.Background(), where)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return st, where
}

// Each runs fn as a subtest on every backend.
func Each(t *testing.T, fn func(t *testing.T, backend string)) {
	for _, b := range Backends {
		t.Run(b, func(t *testing.T) { fn(t, b) })
	}
}
