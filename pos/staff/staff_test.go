package staff

import (
	"strings"
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

// A peppered hash verifies with its store's pepper only: another store's
// pepper and no pepper are errors that say so, before any work.
func TestPepperedHashes(t *testing.T) {
	storeA, storeB := NewPepper(), NewPepper()
	h, err := HashPeppered("1234", storeA, FastParams)
	require.NoError(t, err)
	assert.Regexp(t, `^\$argon2id\$v=19\$m=8192,t=1,p=1,keyid=[A-Za-z0-9+/]{11}\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]{43}$`, h)
	assert.Contains(t, h, "keyid="+storeA.ID())
	tests := []struct {
		name   string
		secret string
		pepper Pepper
		ok     bool
		err    error
	}{
		{"right PIN, its store's pepper", "1234", storeA, true, nil},
		{"wrong PIN", "1235", storeA, false, nil},
		{"empty PIN", "", storeA, false, nil},
		{"another store's pepper", "1234", storeB, false, ErrWrongPepper},
		{"no pepper", "1234", nil, false, ErrNoPepper},
		{"a short pepper", "1234", storeA[:16], false, ErrWrongPepper},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := Check(tt.secret, h, tt.pepper)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.ok, ok)
		})
	}
	_, err = CheckPassword("1234", h)
	assert.ErrorIs(t, err, ErrNoPepper, "CheckPassword knows no pepper")

	// The same stretched key gives each store its own hash (the store
	// server's way), each verifying with its own pepper only.
	salt := NewSalt(FastParams.SaltLen)
	k := Stretch("2468", salt, FastParams)
	ha, err := Peppered(k, salt, FastParams, storeA)
	require.NoError(t, err)
	hb, err := Peppered(k, salt, FastParams, storeB)
	require.NoError(t, err)
	assert.NotEqual(t, ha, hb)
	ok, err := Check("2468", hb, storeB)
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = Check("2468", ha, storeB)
	assert.ErrorIs(t, err, ErrWrongPepper, "a hash from store A does not verify with store B's pepper")
	// Even under B's key ID, A's key is not B's.
	forged, err := ParseHash(ha)
	require.NoError(t, err)
	forged.KeyID = storeB.ID()
	ok, err = Check("2468", forged.String(), storeB)
	require.NoError(t, err)
	assert.False(t, ok, "store A's key does not pass for store B's")

	_, err = Peppered(k, salt, FastParams, Pepper("short"))
	assert.Error(t, err)
}

// Hashes made before peppers and the stronger parameters still verify,
// with or without a pepper at hand.
func TestUnpepperedHashesStillVerify(t *testing.T) {
	old := Params{Memory: 64 * 1024, Time: 1, Threads: 2, KeyLen: 32, SaltLen: 16}
	h, err := HashPassword("1234", old)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=1,p=2$"), h)
	for _, pepper := range []Pepper{nil, NewPepper()} {
		ok, err := Check("1234", h, pepper)
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = Check("4321", h, pepper)
		require.NoError(t, err)
		assert.False(t, ok)
	}
	assert.Equal(t, Params{Memory: 64 * 1024, Time: 3, Threads: 4, KeyLen: 32, SaltLen: 16}, DefaultParams, "RFC 9106's second option")
}

func TestParseHash(t *testing.T) {
	tests := []struct {
		hash string
		ok   bool
	}{
		{"$argon2id$v=19$m=8192,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true},
		{"$argon2id$v=19$t=1,m=8192,p=1,keyid=AAAAAAAAAAA$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true},
		{"$argon2id$v=19$m=8192,t=1,p=1,keyid=AAAAAAAAAAA$AAAA$AAAA", false},            // a peppered key is 32 bytes
		{"$argon2id$v=19$m=8192,t=1,p=1,keyid=$AAAA$AAAA", false},                       // an empty key ID
		{"$argon2id$v=19$m=8192,t=1,p=1,keyid=AAAAAAAAAAAAAAAAAAAAAA$AAAA$AAAA", false}, // a key ID over 8 bytes
		{"$argon2id$v=19$m=8192,t=1,p=1,data=AAAA$AAAA$AAAA", false},                    // an unknown parameter
		{"$argon2id$v=19$m=8192,m=8192,t=1,p=1$AAAA$AAAA", false},                       // a parameter twice
		{"$argon2id$v=19$m=8192,t=1$AAAA$AAAA", false},                                  // no lanes
		{"$argon2id$v=19$m=4,t=1,p=1$AAAA$AAAA", false},                                 // under 8 KiB a lane
		{"$argon2id$v=19$m=4194304,t=1,p=1$AAAA$AAAA", false},                           // 4 GiB
		{"$argon2id$v=19$m=8192,t=0,p=1$AAAA$AAAA", false},                              // no pass
		{"$argon2id$v=19$m=8192,t=1,p=0$AAAA$AAAA", false},                              // no lane
		{"$argon2id$v=19$m=8192,t=1,p=256$AAAA$AAAA", false},                            // lanes overflow
		{"x$argon2id$v=19$m=8192,t=1,p=1$AAAA$AAAA", false},                             // a prefix
		{"$opentill-sealed$v=19$m=8192,t=1,p=1$AAAA$AAAA", false},                       // another algorithm
	}
	for _, tt := range tests {
		h, err := ParseHash(tt.hash)
		if !tt.ok {
			assert.ErrorIs(t, err, ErrBadHash, tt.hash)
			continue
		}
		require.NoError(t, err, tt.hash)
		again, err := ParseHash(h.String())
		require.NoError(t, err)
		assert.Equal(t, h, again, "a parsed hash prints back to itself")
	}
}

// BenchmarkCheck is the cost of one sign-in's check with each set of
// parameters, the earlier default beside the current one (docs/security.md);
// -cpu 1 is what one guess costs an attacker per core:
//
//	go test -run '^$' -bench Check -benchtime 20x -cpu 1,2 ./pos/staff
func BenchmarkCheck(b *testing.B) {
	pepper := NewPepper()
	for _, c := range []struct {
		name string
		p    Params
	}{
		{"before_m64MiB_t1_p2", Params{Memory: 64 * 1024, Time: 1, Threads: 2, KeyLen: 32, SaltLen: 16}},
		{"now_m64MiB_t3_p4", DefaultParams},
		{"demo_m8MiB_t1_p1", FastParams},
	} {
		h, err := HashPeppered("1234", pepper, c.p)
		require.NoError(b, err)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if ok, err := Check("1234", h, pepper); err != nil || !ok {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

func TestRoleAllows(t *testing.T) {
	r := Role{Permissions: []Permission{100, 200}}
	assert.True(t, r.Allows(100))
	assert.False(t, r.Allows(104))
}
