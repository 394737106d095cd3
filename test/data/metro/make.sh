#!/usr/bin/env bash
# test/data/metro/make.sh -- regenerate the React Native fixtures in this
# folder (README.md) with the real tools from npm, at pinned versions:
# metro-source-map (the packager's map with x_facebook_sources, and
# composeSourceMaps), hermes-compiler (hermesc: bytecode and its map) and
# metro-symbolicate (the expected answers).  Needs node and npm with access
# to the npm registry; without them it says so and changes nothing.
#   bash test/data/metro/make.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "make.sh: $1; the vendored fixtures are left as they are"; exit 0; }
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || skip "node and npm are needed"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent \
	metro-source-map@0.84.6 metro-symbolicate@0.84.6 hermes-compiler@260318099.0.8 \
	@babel/parser@7.29.17 @babel/generator@7.29.17 source-map@0.5.7) || skip "npm install failed"
hermesc="$tmp/node_modules/hermes-compiler/hermesc/linux64-bin/hermesc"
"$hermesc" -version >/dev/null 2>&1 || skip "hermesc does not run on this machine"
NODE_PATH="$tmp/node_modules" node "$here/make.js" "$here" "$hermesc"
