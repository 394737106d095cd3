// test/data/metro/make.js -- run by make.sh: build the small app in app/
// the way React Native does (a Metro-style bundle and its map with
// x_facebook_sources from metro-source-map, Hermes bytecode and its map from
// hermesc, the two composed with metro-source-map's composeSourceMaps), then
// ask metro-symbolicate what every mapped position resolves to.
//   node make.js OUT_DIR HERMESC
'use strict';
const fs = require('fs');
const path = require('path');
const {execFileSync} = require('child_process');
const parser = require('@babel/parser');
const generate = require('@babel/generator').default;
const {fromRawMappings, generateFunctionMap, toSegmentTuple, composeSourceMaps} =
  require('metro-source-map');
const Symbolication = require('metro-symbolicate/private/Symbolication');
const {SourceMapConsumer} = require('source-map');

const [outDir, hermesc] = process.argv.slice(2);
const here = __dirname;
const modules = ['app/math.js', 'app/index.js'];

// The packager step: each module transformed by Babel (as Metro's worker
// does), wrapped in a __d() call on lines of its own, then one map for all.
const prelude = 'var __modules = {}; function __d(factory, id) { __modules[id] = factory; }';
const parts = [{code: prelude, map: [], path: '__prelude__', source: prelude, functionMap: null}];
modules.forEach((file, id) => {
  const source = fs.readFileSync(path.join(here, file), 'utf8');
  const ast = parser.parse(source, {sourceType: 'script'});
  const functionMap = generateFunctionMap(ast, {filename: file});
  const out = generate(ast, {sourceMaps: true, sourceFileName: file}, source);
  const code = '__d(function (global, require, module, exports) {\n' + out.code + '\n}, ' + id + ');';
  // one wrapper line above the module's code
  const map = out.rawMappings.map(toSegmentTuple).map(t => [t[0] + 1, ...t.slice(1)]);
  parts.push({code, map, path: file, source, functionMap});
});
const bundle = parts.map(p => p.code).join('\n') + '\n';
const packagerMap = fromRawMappings(parts).toMap('index.bundle.js', {excludeSource: false});
const work = fs.mkdtempSync(path.join(require('os').tmpdir(), 'metro-'));
fs.writeFileSync(path.join(work, 'index.bundle.js'), bundle);
fs.writeFileSync(path.join(outDir, 'index.bundle.js.map'), JSON.stringify(packagerMap));

// The Hermes step: bytecode and its map (line 1, column = bytecode offset),
// composed with the packager's map as React Native's compose-source-maps does.
const hbc = path.join(work, 'index.android.bundle');
execFileSync(hermesc, ['-O', '-emit-binary', '-output-source-map', '-out=' + hbc,
  path.join(work, 'index.bundle.js')]);
const hermesMap = JSON.parse(fs.readFileSync(hbc + '.map', 'utf8'));
fs.rmSync(work, {recursive: true});
const composed = composeSourceMaps([packagerMap, hermesMap]);
fs.writeFileSync(path.join(outDir, 'index.android.bundle.map'), JSON.stringify(composed));

// metro-symbolicate's answers, 0-based lines and columns as in SQL: for every
// segment's position and the column after it.
function answers(file, map) {
  const ctx = Symbolication.createContext(SourceMapConsumer, map, {
    inputLineStart: 0, outputLineStart: 0,
  });
  const consumer = new SourceMapConsumer(map);
  const seen = new Set();
  const rows = [];
  consumer.eachMapping(m => {
    for (const col of [m.generatedColumn, m.generatedColumn + 1]) {
      const key = (m.generatedLine - 1) + ':' + col;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push([m.generatedLine - 1, col]);
    }
  }, null, SourceMapConsumer.GENERATED_ORDER);
  const show = v => (v == null ? '-' : String(v));
  const lines = ['# map: ' + file, '# gen_line\tgen_col\tsource\tline\tcol\tname\tfunction'];
  for (const [line, col] of rows) {
    const o = ctx.getOriginalPositionDetailsFor(line, col);
    lines.push([line, col, o.source, o.line, o.column, o.name, o.functionName].map(show).join('\t'));
  }
  fs.writeFileSync(path.join(outDir, file + '.symbolicate.tsv'), lines.join('\n') + '\n');
  return rows.length;
}
const n1 = answers('index.bundle.js.map', packagerMap);
const n2 = answers('index.android.bundle.map', composed);
console.log(`make.js: ${n1} positions in the packager map, ${n2} in the composed Hermes map`);
