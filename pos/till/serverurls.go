package till

import "strings"

// ServerURLs splits a till's store-server setting into its URLs: one, or
// several separated by spaces or commas (server processes sharing one
// database; the till fails over from one to the next).
func ServerURLs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
}
