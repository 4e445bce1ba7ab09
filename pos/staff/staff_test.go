package staff

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPasswordHashing(t *testing.T) {
	h, err := HashPassword("1234", FastParams)
	require.NoError(t, err)
	assert.Regexp(t, `^\$argon2id\$v=19\$m=8192,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$`, h)
	h2, err := HashPassword("1234", FastParams)
	require.NoError(t, err)
	assert.NotEqual(t, h, h2, "each hash has its own salt")
	tests := []struct {
		secret string
		ok     bool
	}{{"1234", true}, {"1235", false}, {"", false}, {"12345", false}}
	for _, tt := range tests {
		ok, err := CheckPassword(tt.secret, h)
		require.NoError(t, err)
		assert.Equal(t, tt.ok, ok, tt.secret)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=18$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "$argon2id$v=19$m=8,t=1,p=1$!!$AA"} {
		_, err := CheckPassword("1234", bad)
		assert.ErrorIs(t, err, ErrBadHash, bad)
	}
}

func TestRoleAllows(t *testing.T) {
	r := Role{Permissions: []Permission{100, 200}}
	assert.True(t, r.Allows(100))
	assert.False(t, r.Allows(104))
}
