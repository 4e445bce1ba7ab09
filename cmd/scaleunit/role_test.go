package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/scaleunit"
)

// TestStaffRoleCommand: staff role puts a role from the JSON the admin API
// takes, and the tills' staff feed carries it; a field it does not know, a
// role without a name or a permission that is no operation are refused and
// nothing changes.
func TestStaffRoleCommand(t *testing.T) {
	t.Setenv(scaleunit.EnvPINKey, "")
	ctx := context.Background()
	data := t.TempDir()
	st, err := scaleunit.OpenSQLite(data)
	require.NoError(t, err)
	require.NoError(t, scaleunit.Seed(ctx, st, 10, nil))
	require.NoError(t, st.Close())
	role := func(body string) (string, error) {
		c := rootCmd()
		var out bytes.Buffer
		c.SetArgs([]string{"staff", "role", "--data", data, "--file", "-"})
		c.SetIn(strings.NewReader(body))
		c.SetOut(&out)
		c.SetErr(&out)
		err := c.Execute()
		return out.String(), err
	}
	senior := func() *api.Role {
		st, err := scaleunit.OpenSQLite(data)
		require.NoError(t, err)
		defer st.Close()
		page, err := st.Feed(ctx, "S0001", api.DatasetStaff, 0, 1000, false)
		require.NoError(t, err)
		var r *api.Role
		for _, c := range page.Changes {
			if c.Role != nil && c.Role.ID == "senior" {
				r = c.Role
			}
		}
		return r
	}

	out, err := role(`{"id": "senior", "name": "Senior cashier", "permissions": [100, 101, 102, 104, 200, 201],
		"limits": {"max_line_discount_bp": 2000, "max_total_discount_bp": 1000, "max_return_amount": 10000}, "manager": false}`)
	require.NoError(t, err, out)
	assert.Contains(t, out, "role senior set")
	r := senior()
	require.NotNil(t, r, "the staff feed carries the role")
	assert.Equal(t, "Senior cashier", r.Name)
	assert.Equal(t, []int{100, 101, 102, 104, 200, 201}, r.Permissions)
	assert.EqualValues(t, 2000, r.Limits.MaxLineDiscountBP)

	for _, tc := range []struct{ body, says string }{
		{`{"id": "senior", "name": "Senior", "permisions": [100]}`, `unknown field "permisions"`},
		{`{"id": "senior", "name": "", "permissions": [100]}`, "name"},
		{`{"id": "senior", "name": "Senior", "permissions": [0]}`, "permission"},
		{`not json`, "not the JSON the admin API takes"},
	} {
		_, err := role(tc.body)
		require.Error(t, err, tc.body)
		assert.Contains(t, err.Error(), tc.says, tc.body)
		assert.Equal(t, "Senior cashier", senior().Name, "nothing changed: %s", tc.body)
	}
}
