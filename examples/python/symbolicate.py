#!/usr/bin/python3
"""Upload source maps to PostgreSQL and resolve a minified stack trace.

The ingestion side of an error tracker, with psycopg 3 (Debian: python3-psycopg):

  1. maps are uploaded as JSON text, in an INSERT with a text parameter;
  2. maps are uploaded in their binary form with COPY ... (FORMAT binary); the
     binary COPY field of a sourcemap column is exactly sourcemap_send(map);
  3. a V8 stack trace from the minified toastr 2.1.4 build (test/data/corpus)
     is resolved with one query and printed as original frames.

Connects with the usual libpq environment (PGHOST, PGPORT, PGDATABASE, PGUSER,
PGPASSWORD); the database needs CREATE privilege (it creates the extension and
a table).  examples/run.sh runs it in a throwaway cluster and compares its
output with examples/expected.out.
"""
import pathlib
import struct
import sys

import psycopg

CORPUS = pathlib.Path(__file__).resolve().parents[2] / "test" / "data" / "corpus"
RELEASE = "shop@1.4.2"
CDN = "https://cdn.example.com/js/"

# (script name on the CDN, map file in the corpus)
TEXT_UPLOADS = [
    ("toastr.min.js", "toastr@2.1.4/toastr.js.map"),
    ("globalhandlers.js", "@sentry/browser@11.12.0/globalhandlers.js.map"),
]
BINARY_UPLOADS = [
    ("jquery.min.js", "jquery@4.0.0/jquery.min.map"),
    ("leaflet.js", "leaflet@1.9.4/leaflet.js.map"),
]

# As V8 prints it: 1-based lines and columns.  The toastr and jQuery frames are
# real positions in the minified files; app.js has no map and passes through.
STACK = """TypeError: e.replace is not a function
    at o (https://cdn.example.com/js/toastr.min.js:1:1961)
    at u (https://cdn.example.com/js/toastr.min.js:1:3015)
    at s (https://cdn.example.com/js/toastr.min.js:1:2087)
    at g (https://cdn.example.com/js/toastr.min.js:1:4630)
    at Object.i [as success] (https://cdn.example.com/js/toastr.min.js:1:404)
    at HTMLButtonElement.<anonymous> (https://shop.example.com/app.js:42:17)
    at HTMLButtonElement.dispatch (https://cdn.example.com/js/jquery.min.js:2:37118)
    at v.handle (https://cdn.example.com/js/jquery.min.js:2:35897)"""

# One query: parse the stack, find each frame's map, look the position up
# (0-based), and fetch the original line of code from sourcesContent.
RESOLVE = """
SELECT s.ord, s.function, s.url, s.lineno, s.colno,
       p.source, p.line + 1 AS line, p.col + 1 AS col, p.name,
       btrim(split_part(sourcemap_source_content(a.map, p.source), E'\\n', p.line + 1)) AS code
  FROM sourcemap_parse_stack(%(stack)s) s
  LEFT JOIN artifacts a ON a.release = %(release)s AND a.url = s.url
  LEFT JOIN LATERAL sourcemap_lookup(a.map, s.lineno - 1, s.colno - 1) p ON true
 ORDER BY s.ord
"""

PGCOPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def binary_copy_stream(rows):
    """A COPY (FORMAT binary) stream: signature, flags, header extension,
    then per row a field count and each field as length + bytes, then -1."""
    out = [PGCOPY_SIGNATURE, struct.pack("!ii", 0, 0)]
    for row in rows:
        out.append(struct.pack("!h", len(row)))
        for field in row:
            out.append(struct.pack("!i", len(field)) + field)
    out.append(struct.pack("!h", -1))
    return b"".join(out)


def parse_binary_copy(data):
    """The rows of a COPY (FORMAT binary) stream, each a list of bytes (or None)."""
    if not data.startswith(PGCOPY_SIGNATURE):
        raise ValueError("not a binary COPY stream")
    pos = len(PGCOPY_SIGNATURE)
    _flags, ext = struct.unpack_from("!ii", data, pos)
    pos += 8 + ext
    rows = []
    while True:
        (nfields,) = struct.unpack_from("!h", data, pos)
        pos += 2
        if nfields == -1:
            return rows
        row = []
        for _ in range(nfields):
            (length,) = struct.unpack_from("!i", data, pos)
            pos += 4
            if length == -1:
                row.append(None)
            else:
                row.append(data[pos:pos + length])
                pos += length
        rows.append(row)


def main():
    with psycopg.connect() as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS sourcemap")
        conn.execute("DROP TABLE IF EXISTS artifacts")
        conn.execute("CREATE TABLE artifacts (release text, url text, map sourcemap, PRIMARY KEY (release, url))")

        # 1. JSON text: the server parses and validates each map once, here.
        for script, path in TEXT_UPLOADS:
            doc = (CORPUS / path).read_text(encoding="utf-8")
            conn.execute("INSERT INTO artifacts VALUES (%s, %s, %s)", (RELEASE, CDN + script, doc))
            print(f"uploaded as JSON text: {CDN + script} ({len(doc.encode())} bytes of JSON)")

        # 2. Binary COPY.  A build step turns each map into its binary form once
        #    (here by asking the server for sourcemap_send); ingestion then sends
        #    that form, which the server checks (sourcemap_recv) without JSON.
        rows = []
        for script, path in BINARY_UPLOADS:
            doc = (CORPUS / path).read_text(encoding="utf-8")
            (binary,) = conn.execute("SELECT sourcemap_send(%s::text::sourcemap)", (doc,)).fetchone()
            rows.append([RELEASE.encode(), (CDN + script).encode(), bytes(binary)])
        stream = binary_copy_stream(rows)
        with conn.cursor() as cur:
            with cur.copy("COPY artifacts (release, url, map) FROM STDIN (FORMAT binary)") as copy:
                copy.write(stream)
        print(f"uploaded with binary COPY: {', '.join(CDN + s for s, _ in BINARY_UPLOADS)} "
              f"({len(rows)} rows)")

        # The other way round: COPY TO (FORMAT binary) gives each map as its
        # sourcemap_send bytes, and that stream loads back as the same maps.
        with conn.cursor() as cur:
            with cur.copy("COPY (SELECT url, map, sourcemap_send(map) FROM artifacts ORDER BY url) "
                          "TO STDOUT (FORMAT binary)") as copy:
                dumped = b"".join(bytes(chunk) for chunk in copy)
        fields = parse_binary_copy(dumped)
        same = all(map_field == send for _url, map_field, send in fields)
        print(f"binary COPY field = sourcemap_send(map): {'yes' if same else 'NO'} ({len(fields)} maps)")
        conn.execute("CREATE TEMP TABLE reloaded (url text, map sourcemap)")
        reload_stream = binary_copy_stream([[url, map_field] for url, map_field, _send in fields])
        with conn.cursor() as cur:
            with cur.copy("COPY reloaded FROM STDIN (FORMAT binary)") as copy:
                copy.write(reload_stream)
        (equal,) = conn.execute(
            "SELECT count(*) FROM reloaded r JOIN artifacts a USING (url) WHERE r.map = a.map").fetchone()
        print(f"reloaded from binary COPY and equal: {equal} of {len(fields)}")

        print(f"release {RELEASE}:")
        for url, segments, sources, names in conn.execute(
                "SELECT url, i.segments, i.sources, i.names FROM artifacts, sourcemap_info(map) i "
                "WHERE release = %s ORDER BY url", (RELEASE,)):
            print(f"  {url:<45} {segments:>6} segments {sources:>3} sources {names:>5} names")

        # 3. The stack trace, resolved in one query.
        print()
        print(STACK)
        print()
        print("original frames:")
        for (ord_, function, url, lineno, colno, source, line, col, name, code) in conn.execute(
                RESOLVE, {"stack": STACK, "release": RELEASE}):
            if source is None:
                where = f"{url}:{lineno}:{colno} (no map)"
            else:
                where = f"{source}:{line}:{col}"
            print(f"  #{ord_} {function:<30} {where:<40} {name or '':<17} {code or ''}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
