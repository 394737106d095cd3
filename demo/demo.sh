#!/usr/bin/env bash
# demo/demo.sh -- the quick start: install what is missing (as root on
# Debian/Ubuntu), build and install sourcemap, then, in a throwaway cluster,
# load a real source map (toastr 2.1.4) and turn a minified stack trace into
# original frames.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== checking what the build needs (.ci/deps.sh installs what is missing)"
deps=$(bash .ci/deps.sh build server | tee /dev/stderr)
PGV=$(echo "$deps" | sed -n 's/^deps: PostgreSQL \([0-9]*\),.*/\1/p')
export PG_CONFIG=/usr/lib/postgresql/$PGV/bin/pg_config

echo "== building and installing sourcemap for PostgreSQL $PGV"
make -s -j"$(nproc)"
make -s install

MAP=test/data/corpus/toastr@2.1.4/toastr.js.map
echo "== resolving a minified stack trace with $MAP"
export MAP
pg_virtualenv -v "$PGV" psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION sourcemap;
\set json `cat "$MAP"`

-- One row per deployed script: the URL it is served from and its map.
CREATE TABLE maps (url text PRIMARY KEY, map sourcemap);
INSERT INTO maps VALUES ('https://cdn.example.com/js/toastr.min.js', :'json');
SELECT url, file, segments, sources, names, stored_bytes, octet_length(:'json') AS json_bytes
  FROM maps, sourcemap_info(map);

-- A stack trace as V8 prints it: 1-based lines and columns.
SELECT E'TypeError: e.replace is not a function\n'
       '    at o (https://cdn.example.com/js/toastr.min.js:1:1961)\n'
       '    at u (https://cdn.example.com/js/toastr.min.js:1:3015)\n'
       '    at s (https://cdn.example.com/js/toastr.min.js:1:2087)\n'
       '    at g (https://cdn.example.com/js/toastr.min.js:1:4630)\n'
       '    at Object.i [as success] (https://cdn.example.com/js/toastr.min.js:1:404)\n'
       '    at HTMLButtonElement.<anonymous> (https://shop.example.com/app.js:42:17)' AS stack \gset
\echo :stack
\echo

-- Parse the frames, look each one up (0-based), show the original line.
WITH frame AS (
  SELECT n, f[1] AS fn, f[2] AS url, f[3]::int AS line, f[4]::int AS col
    FROM regexp_matches(:'stack', '^\s+at (?:(.+) \()?([^ ()]+):(\d+):(\d+)\)?$', 'gn')
         WITH ORDINALITY AS t(f, n)
)
SELECT frame.n AS "#", frame.fn AS "minified function",
       coalesce(p.source || ':' || (p.line + 1) || ':' || (p.col + 1),
                frame.url || ':' || frame.line || ':' || frame.col) AS "original position",
       p.name AS "symbol",
       btrim(split_part(sourcemap_source_content(maps.map, p.source), E'\n', p.line + 1)) AS "original code"
  FROM frame
  LEFT JOIN maps ON maps.url = frame.url
  LEFT JOIN LATERAL sourcemap_lookup(maps.map, frame.line - 1, frame.col - 1) p ON true
 ORDER BY frame.n;
SQL
