#!/bin/bash
# test/data/compose/make.sh -- rebuild the chains of maps in this folder with
# the real tools (versions pinned in package.json, installed from npm into a
# temporary folder) and @jridgewell/remapping's composition of each chain,
# the expected output of sourcemap_compose.  Skips (exit 0) without node/npm.
#   bash test/data/compose/make.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "make.sh: skipped (node and npm are needed to rebuild the chains)"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
NODE_PATH="$work/node_modules" node "$here/make.mjs" "$here" "$work"
