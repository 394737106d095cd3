#!/bin/bash
# test/corpus/run.sh -- every real map of the shared corpus through SQL: each
# one is stored both as sourcemap and as text, must take less room as
# sourcemap (pg_column_size), and must give every golden answer of the
# reference implementation (both biases) when looked up from its stored,
# out-of-line form (slice reads and the per-backend cache).
#
# Needs a server with the extension installed and ../shared beside the
# repository (or SM_SHARED=/path/to/shared); skips cleanly without it.
# Run it in a throwaway cluster:  pg_virtualenv test/corpus/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
shared="${SM_SHARED:-../shared}"
corpus="$shared/oracle/corpus"
golden="$shared/oracle/golden"
if [ ! -f "$corpus/MANIFEST.tsv" ]; then
	echo "corpus: skipped, $corpus not found"
	exit 0
fi
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
DROP EXTENSION IF EXISTS sourcemap CASCADE;
CREATE EXTENSION sourcemap;
CREATE TABLE corpus (path text PRIMARY KEY, m sourcemap, j text);
CREATE TABLE golden (path text, bias text, gen_line int, gen_col int, src_index text,
	raw_source text, resolved_source text, orig_line text, orig_col text,
	name_index text, name text);
SQL

tail -n +2 "$corpus/MANIFEST.tsv" | cut -f1 | while read -r path; do
	file="$corpus/$path"
	key="${path//\//__}"
	# the map, once as sourcemap and once as text
	psql -X -q -v ON_ERROR_STOP=1 -v path="$path" -v file="$file" <<'SQL'
\set content `cat :'file'`
INSERT INTO corpus VALUES (:'path', :'content', :'content');
SQL
	for bias in glb lub; do
		g="$golden/$key.$bias.tsv"
		[ -f "$g" ] || continue
		grep -v '^#' "$g" | awk -v p="$path" -v b="$bias" 'BEGIN{OFS="\t"} {print p, b, $0}' > "$work/g.tsv"
		psql -X -q -v ON_ERROR_STOP=1 -c "\\copy golden FROM '$work/g.tsv' WITH (FORMAT text, NULL '-')"
	done
done

psql -X -q -At -v ON_ERROR_STOP=1 > "$work/result.txt" <<'SQL'
-- sizes: every map is smaller stored as sourcemap than as text
SELECT 'size' AS what, path,
	pg_column_size(m) < pg_column_size(j) AS ok,
	format('sourcemap %s, text %s, ratio %s', pg_column_size(m), pg_column_size(j),
		round(pg_column_size(m)::numeric / pg_column_size(j), 3)) AS detail
FROM corpus
UNION ALL
-- answers: batch lookups of every golden query against the stored map
SELECT 'golden', g.path || ' ' || g.bias,
	count(*) FILTER (WHERE NOT ok) = 0,
	format('%s answers, %s wrong', count(*), count(*) FILTER (WHERE NOT ok))
FROM (
	SELECT g.path, g.bias,
		(r.source IS NOT DISTINCT FROM
			CASE WHEN g.raw_source IS NULL THEN NULL
				 ELSE coalesce(i.source_root || CASE WHEN i.source_root = '' OR right(i.source_root, 1) = '/'
					THEN '' ELSE '/' END, '') || g.raw_source END
		 AND r.line IS NOT DISTINCT FROM g.orig_line::int
		 AND r.col IS NOT DISTINCT FROM g.orig_col::int
		 AND r.name IS NOT DISTINCT FROM g.name) AS ok
	FROM corpus c
	CROSS JOIN LATERAL sourcemap_info(c.m) i
	JOIN golden g ON g.path = c.path
	CROSS JOIN LATERAL sourcemap_lookup(c.m, g.gen_line, g.gen_col, g.bias) r
) g
GROUP BY g.path, g.bias
ORDER BY 1, 2;
SQL

pass=0
fail=0
while IFS='|' read -r what path ok detail; do
	if [ "$ok" = "t" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $what $path: $detail"
	fi
	echo "  $what $path: $detail"
done < "$work/result.txt"
echo "corpus: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
