package store_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/journal"
)

const killHelperEnv = "OPENTILL_STORE_KILL_HELPER"

// TestCommittedSalesSurviveKill kills (SIGKILL) a process in the middle of a
// stream of commits: every sale it reported complete is there afterwards,
// nothing is half-written and the journal verifies.
func TestCommittedSalesSurviveKill(t *testing.T) {
	if os.Getenv(killHelperEnv) != "" {
		t.Skip("helper process")
	}
	s, dir := demoStore(t, 50)
	require.NoError(t, s.Close())

	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), killHelperEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	var reported []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if no, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
			reported = append(reported, no)
			if len(reported) == 40 {
				require.NoError(t, cmd.Process.Kill())
				break
			}
		}
	}
	_ = cmd.Wait()
	require.Len(t, reported, 40, "the helper stopped early")

	s2, err := store.Open(dir)
	require.NoError(t, err)
	defer s2.Close()
	for _, no := range reported {
		c, _, err := s2.Transaction(ctx, no)
		require.NoError(t, err, no)
		assert.Equal(t, no, c.ReceiptNo)
	}
	n, err := s2.VerifyJournal(ctx)
	require.NoError(t, err)
	st, err := s2.Stats(ctx)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, st.Transactions, int64(len(reported)))
	assert.Equal(t, st.Transactions, n, "one journal entry per stored sale")
	assert.Equal(t, st.Transactions, st.OutboxPending, "one outbox row per stored sale")
	db := rawDB(t, dir)
	assert.Equal(t, int(st.Transactions)*2, count(t, db, `SELECT count(*) FROM transaction_lines`), "two lines per sale, none half-written")
	assert.Equal(t, int(st.Transactions)+1, count(t, db, `SELECT next FROM receipt_sequence`))
}

// TestKillHelper commits sales until it is killed (run by the test above).
func TestKillHelper(t *testing.T) {
	dir := os.Getenv(killHelperEnv)
	if dir == "" {
		t.Skip("run by TestCommittedSalesSurviveKill")
	}
	s, err := store.Open(dir)
	require.NoError(t, err)
	for i := 0; i < 100_000; i++ {
		c := sale(t, featured(t, "10000"), featured(t, "10001"))
		require.NoError(t, s.Commit(ctx, c, entry(journal.Sale, 0)))
		fmt.Fprintln(os.Stdout, "committed", c.ReceiptNo)
	}
}
