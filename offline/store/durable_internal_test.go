package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos/catalog"
)

// writerSync reads PRAGMA synchronous on the writer pool's connection.
func writerSync(t *testing.T, s *Store) int {
	t.Helper()
	var level int
	require.NoError(t, s.w.QueryRow(`PRAGMA synchronous`).Scan(&level))
	return level
}

func someProducts(ids ...string) func() (catalog.Product, bool) {
	i := 0
	return func() (catalog.Product, bool) {
		if i == len(ids) {
			return catalog.Product{}, false
		}
		i++
		return catalog.Product{ID: ids[i-1], Name: "Product " + ids[i-1], Price: 100, TaxGroup: "STD", Barcodes: []string{fmt.Sprintf("2%012d", i)}}, true
	}
}

// The bulk import turns synchronous off on the one writer connection; after
// it, whether it worked or failed, the writer is back at FULL, so the next
// checkout is on disk when it returns.
func TestImportLeavesTheWriterDurable(t *testing.T) {
	tests := []struct {
		name    string
		ids     []string
		wantErr bool
	}{
		{"fast import", []string{"1", "2", "3"}, false},
		{"failed fast import", []string{"1", "2", "1"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(t.TempDir())
			require.NoError(t, err)
			defer s.Close()
			_, err = s.ImportProducts(context.Background(), someProducts(tc.ids...))
			if tc.wantErr {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, syncFull, writerSync(t, s))
			var cache int
			require.NoError(t, s.w.QueryRow(`PRAGMA cache_size`).Scan(&cache))
			assert.Equal(t, -writerCacheKiB, cache)
		})
	}
}

// A writer connection that could not be set back to FULL is discarded, not
// handed back to the pool: the next one opens from the DSN with FULL.
func TestDiscardedWriterComesBackDurable(t *testing.T) {
	tests := []struct {
		name string
		end  func(*sql.Conn)
		want int
	}{
		{"handed back keeps OFF (the danger)", func(c *sql.Conn) { require.NoError(t, c.Close()) }, 0},
		{"discarded", discardConn, syncFull},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(t.TempDir())
			require.NoError(t, err)
			defer s.Close()
			conn, err := s.w.Conn(context.Background())
			require.NoError(t, err)
			_, err = conn.ExecContext(context.Background(), `PRAGMA synchronous = OFF`)
			require.NoError(t, err)
			tc.end(conn)
			assert.Equal(t, tc.want, writerSync(t, s))
		})
	}
}

func TestRestoreWriter(t *testing.T) {
	s, err := Open(t.TempDir())
	require.NoError(t, err)
	defer s.Close()
	conn, err := s.w.Conn(context.Background())
	require.NoError(t, err)
	_, err = conn.ExecContext(context.Background(), `PRAGMA synchronous = OFF`)
	require.NoError(t, err)
	require.NoError(t, restoreWriter(conn))
	require.NoError(t, conn.Close())
	assert.Equal(t, syncFull, writerSync(t, s))
}

// Close folds the write-ahead log into the database file and reports
// nothing when all is well; a second Close is a no-op.
func TestCloseCheckpoints(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	require.NoError(t, err)
	_, err = s.ImportProducts(context.Background(), someProducts("1", "2"))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close())
	fi, err := os.Stat(filepath.Join(dir, FileName+"-wal"))
	if err == nil {
		assert.Zero(t, fi.Size(), "the WAL was checkpointed and truncated")
	} else {
		assert.True(t, os.IsNotExist(err), err)
	}
}
