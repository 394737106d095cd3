#!/usr/bin/env node
// Upload source maps to PostgreSQL and resolve a minified stack trace.
//
// The ingestion side of an error tracker, with node-postgres (`pg`) and
// `pg-copy-streams` from npm:
//
//   1. maps are uploaded as JSON text, in an INSERT with a text parameter;
//   2. maps are uploaded in their binary form with COPY ... (FORMAT binary);
//      the binary COPY field of a sourcemap column is exactly
//      sourcemap_send(map);
//   3. a V8 stack trace from the minified toastr 2.1.4 build
//      (test/data/corpus) is resolved with one query and printed as original
//      frames.
//
// Connects with the usual libpq environment (PGHOST, PGPORT, PGDATABASE,
// PGUSER, PGPASSWORD), which node-postgres reads too; the database needs
// CREATE privilege.  examples/run.sh runs it in a throwaway cluster and
// compares its output with examples/expected.out, like the Python example.
'use strict';

const fs = require('fs');
const path = require('path');
const { Readable } = require('stream');
const { pipeline } = require('stream/promises');
const { Client } = require('pg');
const { from: copyFrom, to: copyTo } = require('pg-copy-streams');

const CORPUS = path.resolve(__dirname, '..', '..', 'test', 'data', 'corpus');
const RELEASE = 'shop@1.4.2';
const CDN = 'https://cdn.example.com/js/';

// [script name on the CDN, map file in the corpus]
const TEXT_UPLOADS = [
  ['toastr.min.js', 'toastr@2.1.4/toastr.js.map'],
  ['globalhandlers.js', '@sentry/browser@11.12.0/globalhandlers.js.map'],
];
const BINARY_UPLOADS = [
  ['jquery.min.js', 'jquery@4.0.0/jquery.min.map'],
  ['leaflet.js', 'leaflet@1.9.4/leaflet.js.map'],
];

// As V8 prints it: 1-based lines and columns.  The toastr and jQuery frames
// are real positions in the minified files; app.js has no map.
const STACK = `TypeError: e.replace is not a function
    at o (https://cdn.example.com/js/toastr.min.js:1:1961)
    at u (https://cdn.example.com/js/toastr.min.js:1:3015)
    at s (https://cdn.example.com/js/toastr.min.js:1:2087)
    at g (https://cdn.example.com/js/toastr.min.js:1:4630)
    at Object.i [as success] (https://cdn.example.com/js/toastr.min.js:1:404)
    at HTMLButtonElement.<anonymous> (https://shop.example.com/app.js:42:17)
    at HTMLButtonElement.dispatch (https://cdn.example.com/js/jquery.min.js:2:37118)
    at v.handle (https://cdn.example.com/js/jquery.min.js:2:35897)`;

// One query: parse the stack, find each frame's map, look the position up
// (0-based), and fetch the original line of code from sourcesContent.
const RESOLVE = `
SELECT s.ord, s.function, s.url, s.lineno, s.colno,
       p.source, p.line + 1 AS line, p.col + 1 AS col, p.name,
       btrim(split_part(sourcemap_source_content(a.map, p.source), E'\\n', p.line + 1)) AS code
  FROM sourcemap_parse_stack($1) s
  LEFT JOIN artifacts a ON a.release = $2 AND a.url = s.url
  LEFT JOIN LATERAL sourcemap_lookup(a.map, s.lineno - 1, s.colno - 1) p ON true
 ORDER BY s.ord`;

const PGCOPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

// A COPY (FORMAT binary) stream: signature, flags, header extension, then per
// row a field count and each field as length + bytes, then -1.
function binaryCopyStream(rows) {
  const out = [PGCOPY_SIGNATURE, int32(0), int32(0)];
  for (const row of rows) {
    out.push(int16(row.length));
    for (const field of row) out.push(int32(field.length), field);
  }
  out.push(int16(-1));
  return Buffer.concat(out);
}

// The rows of a COPY (FORMAT binary) stream, each an array of Buffers (or null).
function parseBinaryCopy(data) {
  if (!data.subarray(0, PGCOPY_SIGNATURE.length).equals(PGCOPY_SIGNATURE))
    throw new Error('not a binary COPY stream');
  let pos = PGCOPY_SIGNATURE.length;
  const ext = data.readInt32BE(pos + 4);
  pos += 8 + ext;
  const rows = [];
  for (;;) {
    const nfields = data.readInt16BE(pos);
    pos += 2;
    if (nfields === -1) return rows;
    const row = [];
    for (let i = 0; i < nfields; i++) {
      const length = data.readInt32BE(pos);
      pos += 4;
      if (length === -1) row.push(null);
      else {
        row.push(data.subarray(pos, pos + length));
        pos += length;
      }
    }
    rows.push(row);
  }
}

function int16(v) { const b = Buffer.alloc(2); b.writeInt16BE(v); return b; }
function int32(v) { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; }

async function copyIn(client, sql, buffer) {
  await pipeline(Readable.from([buffer]), client.query(copyFrom(sql)));
}

async function copyOut(client, sql) {
  const chunks = [];
  for await (const chunk of client.query(copyTo(sql))) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function main() {
  const client = new Client();
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS sourcemap');
    await client.query('DROP TABLE IF EXISTS artifacts');
    await client.query('CREATE TABLE artifacts (release text, url text, map sourcemap, PRIMARY KEY (release, url))');

    // 1. JSON text: the server parses and validates each map once, here.
    for (const [script, file] of TEXT_UPLOADS) {
      const doc = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      await client.query('INSERT INTO artifacts VALUES ($1, $2, $3)', [RELEASE, CDN + script, doc]);
      console.log(`uploaded as JSON text: ${CDN + script} (${Buffer.byteLength(doc)} bytes of JSON)`);
    }

    // 2. Binary COPY.  A build step turns each map into its binary form once
    //    (here by asking the server for sourcemap_send); ingestion then sends
    //    that form, which the server checks (sourcemap_recv) without JSON.
    const rows = [];
    for (const [script, file] of BINARY_UPLOADS) {
      const doc = fs.readFileSync(path.join(CORPUS, file), 'utf8');
      const res = await client.query('SELECT sourcemap_send($1::text::sourcemap) AS b', [doc]);
      rows.push([Buffer.from(RELEASE), Buffer.from(CDN + script), res.rows[0].b]);
    }
    await copyIn(client, 'COPY artifacts (release, url, map) FROM STDIN (FORMAT binary)', binaryCopyStream(rows));
    console.log(`uploaded with binary COPY: ${BINARY_UPLOADS.map(([s]) => CDN + s).join(', ')} (${rows.length} rows)`);

    // The other way round: COPY TO (FORMAT binary) gives each map as its
    // sourcemap_send bytes, and that stream loads back as the same maps.
    const dumped = await copyOut(client,
      'COPY (SELECT url, map, sourcemap_send(map) FROM artifacts ORDER BY url) TO STDOUT (FORMAT binary)');
    const fields = parseBinaryCopy(dumped);
    const same = fields.every(([, mapField, send]) => mapField.equals(send));
    console.log(`binary COPY field = sourcemap_send(map): ${same ? 'yes' : 'NO'} (${fields.length} maps)`);
    await client.query('CREATE TEMP TABLE reloaded (url text, map sourcemap)');
    await copyIn(client, 'COPY reloaded FROM STDIN (FORMAT binary)',
      binaryCopyStream(fields.map(([url, mapField]) => [url, mapField])));
    const eq = await client.query(
      'SELECT count(*)::int AS n FROM reloaded r JOIN artifacts a USING (url) WHERE r.map = a.map');
    console.log(`reloaded from binary COPY and equal: ${eq.rows[0].n} of ${fields.length}`);

    console.log(`release ${RELEASE}:`);
    const info = await client.query(
      'SELECT url, i.segments::int AS segments, i.sources, i.names FROM artifacts, sourcemap_info(map) i ' +
      'WHERE release = $1 ORDER BY url', [RELEASE]);
    for (const r of info.rows) {
      console.log(`  ${r.url.padEnd(45)} ${String(r.segments).padStart(6)} segments ` +
        `${String(r.sources).padStart(3)} sources ${String(r.names).padStart(5)} names`);
    }

    // 3. The stack trace, resolved in one query.
    console.log();
    console.log(STACK);
    console.log();
    console.log('original frames:');
    const frames = await client.query(RESOLVE, [STACK, RELEASE]);
    for (const f of frames.rows) {
      const where = f.source === null ? `${f.url}:${f.lineno}:${f.colno} (no map)` : `${f.source}:${f.line}:${f.col}`;
      console.log(`  #${f.ord} ${f.function.padEnd(30)} ${where.padEnd(40)} ${(f.name || '').padEnd(17)} ${f.code || ''}`
        .trimEnd());
    }
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
