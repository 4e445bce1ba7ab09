// Package docs holds the documents the programs need at run time: the
// scale-unit API contract, which the store server validates uploads
// against.
package docs

import _ "embed"

// ScaleUnitAPI is the OpenAPI document of the scale-unit API
// (scaleunit-api.yaml).
//
//go:embed scaleunit-api.yaml
var ScaleUnitAPI []byte
