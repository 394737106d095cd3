#!/usr/bin/env node
// node_parse.mjs -- what @jridgewell/trace-mapping costs to make a map queryable.
//
//   node --expose-gc bench/node_parse.mjs --modules DIR [--runs N] MAP...
//   node bench/node_parse.mjs --modules DIR --rss MAP
//
// DIR is a folder whose node_modules holds @jridgewell/trace-mapping (the npm ci'd
// copy of ../shared/oracle, or of bench/node).  "Parse" is what the oracle's
// bench.mjs times for tm: from the JSON text already in a string, new TraceMap(text)
// + decodedMappings(map) (a full decode of `mappings`).  JSON.parse alone is timed too.
// Per map: 1 untimed run, then --runs timed runs; prints one tab-separated line:
//   map bytes json_ms tm_ms tm_cpu_ms      (medians; cpu = this process's CPU time,
//                                           which includes the GC's helper threads)
// --rss: in this fresh process, read the file, then parse it once; prints
//   map bytes rss_before_kb rss_peak_kb   (ru_maxrss before and after the parse)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
let runs = 5, modules = null, rss = false;
const WARMUP = 1;
const maps = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--modules') modules = args[++i];
  else if (args[i] === '--rss') rss = true;
  else maps.push(args[i]);
}
if (!modules) { console.error('--modules DIR is required'); process.exit(2); }
const require = createRequire(path.join(path.resolve(modules), 'package.json'));
const { TraceMap, decodedMappings } = require('@jridgewell/trace-mapping');

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const gc = () => { if (globalThis.gc) { globalThis.gc(); globalThis.gc(); } };
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const parse = (text) => { const m = new TraceMap(text); decodedMappings(m); return m; };

if (rss) {
  const text = fs.readFileSync(maps[0], 'utf8');
  const before = process.resourceUsage().maxRSS;
  const m = parse(text);
  const peak = process.resourceUsage().maxRSS;
  if (!m) process.exit(1);
  process.stdout.write(`${maps[0]}\t${Buffer.byteLength(text)}\t${before}\t${peak}\n`);
} else {
  for (const file of maps) {
    const text = fs.readFileSync(file, 'utf8');
    const tj = [], tw = [], tc = [];
    for (let i = 0; i < WARMUP + runs; i++) {
      gc();
      const t0 = performance.now();
      JSON.parse(text);
      const dt = performance.now() - t0;
      if (i >= WARMUP) tj.push(dt);
    }
    for (let i = 0; i < WARMUP + runs; i++) {
      gc();
      const c0 = cpuMs(), t0 = performance.now();
      parse(text);
      const dt = performance.now() - t0, dc = cpuMs() - c0;
      if (i >= WARMUP) { tw.push(dt); tc.push(dc); }
    }
    process.stdout.write(`${file}\t${Buffer.byteLength(text)}\t${median(tj).toFixed(2)}\t${median(tw).toFixed(2)}\t${median(tc).toFixed(2)}\n`);
  }
}
