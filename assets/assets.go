// Package assets holds the files the till embeds: translations (go-i18n JSON,
// one file per language), the sell screen's button-grid layouts and icons.
package assets

import "embed"

// I18N holds i18n/<lang>.json message files.
//
//go:embed i18n/*.json
var I18N embed.FS

// Layouts holds layouts/<name>.json button grids.
//
//go:embed layouts/*.json
var Layouts embed.FS

// Icons holds the app icon.
//
//go:embed icons/*.svg
var Icons embed.FS

// Receipts holds receipts/<type>.toml receipt layouts (sale, return, gift,
// x, z); docs/receipts.md describes the format.
//
//go:embed receipts/*.toml
var Receipts embed.FS
