//go:build tools

// Package tools pins the Temporal server and its SQL schema tool, built by
// bench/temporal-server/build.sh for the production-shaped bench target.
package tools

import (
	_ "go.temporal.io/server/cmd/server"
	_ "go.temporal.io/server/cmd/tools/sql"
)
