#!/usr/bin/env bash
# test/data/legacy/make.sh -- regenerate the fixtures in this folder (see
# README.md): the stored forms that the cores of older commits, taken from
# git history, build from a few vendored maps of test/data/corpus.  Needs a
# git checkout with history, gcc and zlib; no server.
#   bash test/data/legacy/make.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# make LABEL COMMIT MAP...: build each map with the core of COMMIT
make_values() {
	local label=$1 commit=$2
	shift 2
	git cat-file -e "$commit^{commit}" 2>/dev/null ||
		{ echo "make.sh: commit $commit is not in this clone" >&2; exit 1; }
	rm -rf "$tmp/src" && git archive "$commit" src/core | tar -x -C "$tmp"
	gcc -std=c99 -O2 -I"$tmp/src/core" -o "$tmp/build_value" "$here/build_value.c" "$tmp"/src/core/*.c -lz
	for f in "$@"; do
		out="$here/$label--$(echo "$f" | tr / _).smap"
		"$tmp/build_value" "test/data/corpus/$f" "$out"
		printf '%s\t%s\t%s\n' "$(basename "$out")" "$commit" "$f" >> "$here/fixtures.tsv"
		echo "$commit $f -> $(basename "$out") ($(stat -c %s "$out") bytes)"
	done
}

rm -f "$here"/*.smap
printf '# fixture\tcommit\tmap in test/data/corpus\n' > "$here/fixtures.tsv"
# release 0.1.0: the last commit whose sourcemap.control says 0.1.0
make_values 0.1.0 628bda8 @sentry/browser@11.12.0/globalhandlers.js.map \
	toastr@2.1.4/toastr.js.map synthetic/sourceroot-abs/jquery.min.map
# release 0.2.0 (format version 1, eleven sections), the layout read as
# "version 1" since format version 2 added KEPT (see doc/FORMAT.md)
make_values 0.2.0 6c12612 @sentry/browser@11.12.0/globalhandlers.js.map \
	toastr@2.1.4/toastr.js.map synthetic/sourceroot-abs/jquery.min.map
# a development snapshot between 0.1.0 and 0.2.0 (ten sections, one stream
# per field in a block): never released, must be refused
make_values snapshot-1c418bf 1c418bf @sentry/browser@11.12.0/globalhandlers.js.map \
	toastr@2.1.4/toastr.js.map
