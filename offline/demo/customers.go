package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/opentill/opentill/pos/customer"
)

var (
	firstNames = []string{"Anna", "Lena", "Jürgen", "Zoë", "Léa", "Chloé", "José", "María", "Lucía", "Sören", "Björn", "Ingrid",
		"Élodie", "François", "Hélène", "Noël", "Ana", "Iñaki", "Núria", "Jörg", "Mia", "Emma", "Noah", "Liam", "Olivia",
		"Luca", "Matteo", "Sofia", "Camille", "Hugo", "Inès", "Pablo", "Álvaro", "Carmen", "Thomas", "Sarah", "David",
		"Fatma", "Mehmet", "Ayşe", "Katarzyna", "Łukasz", "Małgorzata", "Dóra", "Ágnes", "Niamh", "Siobhán", "Seán", "Aoife"}
	lastNames = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schäfer", "Koch",
		"Hoffmann", "Schröder", "Neumann", "Krüger", "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau",
		"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Muñoz", "Núñez",
		"Murphy", "Kelly", "O'Sullivan", "Walsh", "Smith", "Brown", "Wilson", "Taylor", "Yılmaz", "Kaya", "Nowak",
		"Kowalski", "Wiśniewski", "Nagy", "Tóth", "Horváth", "Ødegaard", "Åberg"}
	mailHosts = []string{"example.com", "example.org", "example.net", "mail.example.de", "correo.example.es"}
)

// Customers returns a generator of n demo customers, the same for the same
// n and seed: names with the diacritics of the chain's countries, most
// with a phone number, many with an e-mail address and a loyalty card,
// created at the demo store's tills over the last two years.
func Customers(n int, seed int64) func() (customer.Customer, bool) {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x5eed_c0ffee))
	start := time.Date(2024, 12, 1, 8, 0, 0, 0, time.UTC)
	i := 0
	return func() (customer.Customer, bool) {
		if i >= n {
			return customer.Customer{}, false
		}
		i++
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		terminal := fmt.Sprintf("T%02d", 1+rng.IntN(4))
		created := start.Add(time.Duration(rng.Int64N(int64(730 * 24 * time.Hour))))
		var idBytes [16]byte
		for k := range idBytes {
			idBytes[k] = byte(rng.Uint32())
		}
		c := customer.Customer{
			ID:        uuid.Must(uuid.FromBytes(idBytes[:])).String(),
			Number:    customer.FormatNumber(StoreID, terminal, int64(i)),
			FirstName: first, LastName: last, Store: StoreID,
			Created: created, CreatedBy: "2001", Updated: created, UpdatedBy: "2001", Version: 1,
		}
		if rng.IntN(10) < 8 {
			c.Phone = fmt.Sprintf("+49%d%08d", 151+rng.IntN(30), rng.IntN(100_000_000))
		}
		if rng.IntN(10) < 6 {
			local := strings.ToLower(customer.Fold(first) + "." + customer.Fold(last))
			local = strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r == '.' {
					return r
				}
				return -1
			}, local)
			c.Email = fmt.Sprintf("%s%d@%s", local, i, mailHosts[rng.IntN(len(mailHosts))])
			c.Consent.EmailReceipts = rng.IntN(2) == 0
			c.Consent.EmailMarketing = rng.IntN(3) == 0
		}
		if rng.IntN(10) < 5 {
			c.LoyaltyCard = fmt.Sprintf("LC%010d", i)
		}
		if rng.IntN(10) < 3 {
			c.Birthday = time.Date(1940+rng.IntN(65), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		}
		c.StampEdit(nil, customer.Stamp{At: created, By: StoreID + "/" + terminal})
		return c, true
	}
}
