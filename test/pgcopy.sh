#!/usr/bin/env bash
# test/pgcopy.sh -- binary COPY streams of sourcemap values for the regression
# tests (sql/identity.sql), which have no other way to hand the server stored
# bytes that this build did not write (a value enters as binary only through
# sourcemap_recv: a bind parameter or COPY ... FORMAT binary):
#   pgcopy.sh values FILE...      a COPY stream (one sourcemap column) with each
#                                 FILE's bytes as a stored value, on stdout
#   pgcopy.sh extract COPY PREFIX every value of a one-column binary COPY, row i
#                                 (from 1) into PREFIXi.smap
#   pgcopy.sh v2 FILE OUT         FILE as format version 2 (no content digest)
#   pgcopy.sh forge FILE OUT      FILE with one bit of its content digest flipped
# Offsets are those of doc/FORMAT.md: version at 4 (u16), digest at 24 (u64).
set -euo pipefail

# bytes given as numbers, written raw
bytes() { for b in "$@"; do printf "\\$(printf %03o "$b")"; done; }
be32() { bytes $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) $(($1 >> 8 & 255)) $(($1 & 255)); }
# poke FILE OFFSET BYTE...
poke() {
	local f=$1 at=$2
	shift 2
	bytes "$@" | dd of="$f" bs=1 seek="$at" conv=notrunc status=none
}

case $1 in
values)
	shift
	printf 'PGCOPY\n\377\r\n\0'
	be32 0
	be32 0
	for f in "$@"; do
		bytes 0 1
		be32 $(($(stat -c %s "$f") + 1))
		bytes 1				# the wire format version of sourcemap_send
		cat "$f"
	done
	bytes 255 255
	;;
extract)
	# header 19 bytes; per row: field count 2, length 4, wire version 1, the value
	at=19
	i=1
	size=$(stat -c %s "$2")
	while [ $((at + 6)) -le "$size" ]; do
		len=$(od -An -tu1 -j$((at + 2)) -N4 "$2" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
		tail -c +$((at + 8)) "$2" | head -c $((len - 1)) > "$3$i.smap"
		at=$((at + 6 + len))
		i=$((i + 1))
	done
	;;
v2)
	cp "$2" "$3"
	poke "$3" 4 2 0
	poke "$3" 24 0 0 0 0 0 0 0 0
	;;
forge)
	cp "$2" "$3"
	poke "$3" 24 $(($(od -An -tu1 -j24 -N1 "$2") ^ 1))
	;;
*)
	echo "usage: see the header of $0" >&2
	exit 2
	;;
esac
