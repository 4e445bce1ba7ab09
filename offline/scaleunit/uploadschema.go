package scaleunit

// Upload validation against the contract: each upload kind's body is held
// to the component schema docs/scaleunit-api.yaml names for it in the
// upload operation's x-upload-schemas, with the schemas embedded in the
// binary (package docs) and loaded once.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/opentill/opentill/docs"
	"github.com/opentill/opentill/offline/api"
)

// uploadSchema is the schema an upload kind is validated against.
type uploadSchema struct {
	name   string // the component's name, for messages
	schema *openapi3.Schema
}

// uploadSchemas maps each upload kind to its schema.
type uploadSchemas map[string]uploadSchema

// contractSchemas are the embedded contract's upload schemas, loaded at
// the first server's start.
var contractSchemas = sync.OnceValues(func() (uploadSchemas, error) { return loadUploadSchemas(docs.ScaleUnitAPI) })

// mustUploadSchemas returns the contract's upload schemas. The contract is
// part of the binary: one that does not load is a programming error, which
// the package's tests catch.
func mustUploadSchemas() uploadSchemas {
	s, err := contractSchemas()
	if err != nil {
		panic(err)
	}
	return s
}

// schemaRefPrefix starts a reference to a component schema.
const schemaRefPrefix = "#/components/schemas/"

// loadUploadSchemas reads the OpenAPI document spec and the schema its
// upload operation's x-upload-schemas names for each of api.Kinds.
func loadUploadSchemas(spec []byte) (uploadSchemas, error) {
	const where = "docs/scaleunit-api.yaml"
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("%s does not load: %w", where, err)
	}
	if err := doc.Validate(loader.Context, openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("%s is not a valid OpenAPI document: %w", where, err)
	}
	path := api.PathUploads + "{kind}/{id}"
	op := doc.Paths.Value(path)
	if op == nil || op.Put == nil {
		return nil, fmt.Errorf("%s has no PUT %s", where, path)
	}
	refs, ok := op.Put.Extensions["x-upload-schemas"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: PUT %s needs x-upload-schemas, a map of each upload kind to %sNAME", where, path, schemaRefPrefix)
	}
	out := make(uploadSchemas, len(api.Kinds))
	for _, kind := range api.Kinds {
		ref, _ := refs[kind].(string)
		name, ok := strings.CutPrefix(ref, schemaRefPrefix)
		s := doc.Components.Schemas[name]
		if !ok || s == nil || s.Value == nil {
			return nil, fmt.Errorf("%s: x-upload-schemas maps upload kind %q to %q, not to one of its component schemas (%sNAME)", where, kind, ref, schemaRefPrefix)
		}
		out[kind] = uploadSchema{name: name, schema: s.Value}
	}
	for kind := range refs {
		if !api.ValidKind(kind) {
			return nil, fmt.Errorf("%s: x-upload-schemas names %q, which is no upload kind (known: %s)", where, kind, strings.Join(api.Kinds, ", "))
		}
	}
	return out, nil
}

// maxViolations bounds the schema violations an error lists.
const maxViolations = 5

// check validates a decoded upload of a kind against its schema. The error
// names each violation's field and what is wrong with it.
func (us uploadSchemas) check(kind string, rec map[string]any) error {
	s, ok := us[kind]
	if !ok {
		return fmt.Errorf("the server has no schema for upload kind %q", kind)
	}
	err := s.schema.VisitJSON(rec, openapi3.MultiErrors())
	if err == nil {
		return nil
	}
	var vs []string
	violations(err, rec, &vs)
	msg := strings.Join(vs[:min(len(vs), maxViolations)], "; ")
	if len(vs) > maxViolations {
		msg += fmt.Sprintf("; and %d more", len(vs)-maxViolations)
	}
	return fmt.Errorf("the %s upload is not a valid %s (docs/scaleunit-api.yaml): %s", kind, s.name, msg)
}

// violations flattens a validation error into "field: what is wrong"
// messages, in order, without repeats.
func violations(err error, rec any, out *[]string) {
	switch e := err.(type) {
	case openapi3.MultiError:
		for _, x := range e {
			violations(x, rec, out)
		}
	case *openapi3.SchemaError:
		if me, ok := e.Origin.(openapi3.MultiError); ok && e.Reason == "" {
			violations(me, rec, out)
			return
		}
		v := fieldPath(rec, e.JSONPointer()) + ": " + reason(e)
		if !slices.Contains(*out, v) {
			*out = append(*out, v)
		}
	default:
		*out = append(*out, err.Error())
	}
}

// fieldPath writes a JSON pointer into rec as a till developer reads it:
// lines[2].qty.
func fieldPath(rec any, ptr []string) string {
	var b strings.Builder
	v := rec
	for _, p := range ptr {
		switch x := v.(type) {
		case []any:
			b.WriteString("[" + p + "]")
			if i, err := strconv.Atoi(p); err == nil && i >= 0 && i < len(x) {
				v = x[i]
			} else {
				v = nil
			}
			continue
		case map[string]any:
			v = x[p]
		default:
			v = nil
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	if b.Len() == 0 {
		return "the record"
	}
	return b.String()
}

// reason says what is wrong with a value, without the value itself (it
// may be a customer's data): its JSON type where the type is wrong.
func reason(e *openapi3.SchemaError) string {
	r := e.Reason
	switch {
	case e.SchemaField == "required":
		return "is missing: a till always sends it"
	case e.SchemaField == "nullable":
		return "must not be null"
	case e.SchemaField == "type":
		return strings.TrimPrefix(r, "value ") + " (got " + jsonType(e.Value) + ")"
	case e.SchemaField == "enum":
		if rest, ok := strings.CutPrefix(r, "value is not one of the allowed values "); ok {
			return "must be one of " + rest
		}
	case e.SchemaField == "minLength" && r == "minimum string length is 1":
		return "must not be empty"
	case e.SchemaField == "format" && e.Schema != nil && e.Schema.Format == "date-time":
		return "must be an RFC 3339 date-time, e.g. 2026-12-03T10:00:00Z"
	case e.SchemaField == "not":
		return "must not be " + string(mustJSON(e.Value))
	}
	for _, p := range []string{"value ", "number ", "string "} {
		if rest, ok := strings.CutPrefix(r, p); ok {
			return rest
		}
	}
	if r == "" {
		return "does not match the schema's " + e.SchemaField
	}
	return r
}

// jsonType names a decoded JSON value's type.
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		if x == float64(int64(x)) {
			return "an integer"
		}
		return "a number with a fraction"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// mustJSON is v as JSON ("?" if it has none).
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("?")
	}
	return b
}
