// Package apimap maps the domain's types to the scale-unit API's wire
// types (offline/api) and back. The contract holds no domain type, so that
// a change to the register cannot change the JSON old tills and the
// documented API (docs/scaleunit-api.yaml) expect; the till's sync engine
// and the reference server convert at the edge with these functions.
package apimap
