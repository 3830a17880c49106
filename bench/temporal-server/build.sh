#!/usr/bin/env bash
# Builds the real Temporal server (go.temporal.io/server, pinned in go.mod) and its SQL schema tool
# into bench/temporal-server/bin/, and copies the PostgreSQL schema from the module beside them.
# Cached: nothing is rebuilt while bin/VERSION names the version go.mod pins. Bench only, not CI.
set -euo pipefail
cd "$(dirname "$0")"
version=$(go list -m -f '{{.Version}}' go.temporal.io/server)
if [ -x bin/temporal-server ] && [ -x bin/temporal-sql-tool ] && [ "$(cat bin/VERSION 2>/dev/null)" = "$version" ]; then
  exit 0
fi
echo "building Temporal server $version (first time only: a few minutes on 2 cores)" >&2
mkdir -p bin
go build -o bin/temporal-server go.temporal.io/server/cmd/server
go build -o bin/temporal-sql-tool go.temporal.io/server/cmd/tools/sql
rm -rf bin/schema && mkdir -p bin/schema
cp -r "$(go list -m -f '{{.Dir}}' go.temporal.io/server)/schema/postgresql" bin/schema/
chmod -R u+w bin/schema
echo "$version" > bin/VERSION
