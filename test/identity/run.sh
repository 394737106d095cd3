#!/usr/bin/env bash
# test/identity/run.sh -- does a change to the core keep every stored byte?
#
#   test/identity/run.sh OLD_TREE [NEW_TREE]      (NEW_TREE defaults to this checkout)
#
# Builds stored_bytes.c against the core (every .c under src/core, at any
# depth) of each tree, runs both over every vendored map (test/data,
# test/conformance) and every corpus map (../shared/oracle/corpus, skipped
# with a message when absent), and compares a SHA-256 per map of the stored
# form, the stored form built with the generated JS (corpus maps that list
# one), and the canonical JSON.  With SM_IDENTITY_MUTANTS=N it also compares
# N maps whose "mappings" mutate.py damaged (seed SM_IDENTITY_SEED, default
# 1): refusals must match too, message and position included.  Prints the
# per-tree digest lists' hashes and exits non-zero on any difference.  For
# format changes this is expected to fail: it is a tool for restructurings,
# not a standing test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
new=$(cd "${2:-$here/../..}" && pwd)
old=$(cd "${1:?usage: run.sh OLD_TREE [NEW_TREE]}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() {				# build TREE OUT
	local inc
	inc=$(find "$1/src/core" -type d -printf '-I%p ')
	# shellcheck disable=SC2046,SC2086
	cc -std=c99 -O2 -Werror=implicit-function-declaration $inc -o "$2" "$here/stored_bytes.c" $(find "$1/src/core" -name '*.c' | sort) -ldeflate -lz
}
build "$old" "$work/old"
build "$new" "$work/new"

list=$work/maps
{
	find "$new/test/data" "$new/test/conformance" -name '*.map' -printf 'stored\t%p\n' | sort
	find "$new/test/data" "$new/test/conformance" -name '*.map' -printf 'json\t%p\n' | sort
} > "$list"
corpus=$new/../shared/oracle/corpus
[ -d "$corpus" ] || corpus=/work/shared/oracle/corpus
if [ -f "$corpus/MANIFEST.tsv" ]; then
	tail -n +2 "$corpus/MANIFEST.tsv" | while IFS=$'\t' read -r path rest; do
		js=$(printf '%s\n' "$rest" | awk -F'\t' '{ print $(NF - 1) }')
		printf 'stored\t%s\n' "$corpus/$path"
		printf 'json\t%s\n' "$corpus/$path"
		[ "$js" = - ] || printf 'source\t%s\t%s\n' "$corpus/$path" "$corpus/$js"
	done >> "$list"
else
	echo "identity: no shared corpus at $corpus: vendored maps only"
fi

if [ "${SM_IDENTITY_MUTANTS:-0}" -gt 0 ]; then
	# shellcheck disable=SC2046
	python3 "$here/mutate.py" "$work/mutants" "$SM_IDENTITY_MUTANTS" "${SM_IDENTITY_SEED:-1}" \
		$(find "$new/test/data/corpus" -name '*.map' | sort)
	find "$work/mutants" -name '*.map' -printf 'stored\t%p\n' | sort >> "$list"
fi

digest() {				# digest BINARY OUT
	while IFS=$'\t' read -r mode map js; do
		# shellcheck disable=SC2086
		h=$("$1" "$mode" "$map" $js | sha256sum | cut -c1-64)
		printf '%s\t%s\t%s\n' "$h" "$mode" "${map#"$new"/}"
	done < "$list" > "$2"
}
digest "$work/old" "$work/old.sha"
digest "$work/new" "$work/new.sha"
n=$(wc -l < "$list")
echo "identity: $n outputs (stored, with source, JSON) of $(cut -f2 "$list" | sort -u | wc -l) maps"
echo "identity: old $(sha256sum < "$work/old.sha" | cut -c1-16)  new $(sha256sum < "$work/new.sha" | cut -c1-16)"
[ -z "${SM_IDENTITY_KEEP:-}" ] || cp "$work/old.sha" "$work/new.sha" "$SM_IDENTITY_KEEP"/
if diff "$work/old.sha" "$work/new.sha"; then
	echo "identity: every output byte-identical"
else
	echo "identity: outputs differ"
	exit 1
fi
