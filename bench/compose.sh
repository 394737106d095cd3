#!/bin/bash
# bench/compose.sh -- composing real chains of maps (test/data/compose): the
# core's sm_compose beside sm_build of the same composed map, and
# @jridgewell/remapping (node, installed into a temporary folder at the
# version test/data/compose/package.json pins) on the same chains, in one run.
# Results and how to read them: bench/COMPOSE.md.
#   bash bench/compose.sh [REPS]      (default 21)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-21}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chains=(test/data/compose/jquery test/data/compose/toastr test/data/compose/ts3)
# the core's sources and the libraries it links with, from src/core/core.mk
core_mk() {
	make -s -f - "$1" <<'MK'
CORE_DIR := src/core
include src/core/core.mk
srcs: ; @echo $(CORE_SRCS)
libs: ; @echo $(CORE_LIBS)
MK
}
cc -std=c99 -O2 -Isrc/core -o "$work/compose_bench" bench/compose_bench.c $(core_mk srcs) $(core_mk libs)
echo "# load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
"$work/compose_bench" --reps "$reps" "${chains[@]}"
if command -v node >/dev/null && command -v npm >/dev/null; then
	version=$(node -p 'require("./test/data/compose/package.json").dependencies["@jridgewell/remapping"]')
	(cd "$work" && npm install --no-audit --no-fund --loglevel=error "@jridgewell/remapping@$version" >/dev/null)
	node bench/compose_remapping.mjs "$work" "$reps" "${chains[@]}"
else
	echo "# remapping: skipped (no node/npm)"
fi
