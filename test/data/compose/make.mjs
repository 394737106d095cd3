// test/data/compose/make.mjs -- run by make.sh: build each chain of maps with
// the real tools and write, per chain, its stage maps (<chain>/<k>.map, k = 0
// the last stage, as sourcemap_compose takes them), a chain.txt listing the
// stage maps (paths relative to test/data) and remapping's composition as
// <chain>/expected.map.  Arguments: this folder, the folder with the tools.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const [here, work] = process.argv.slice(2);
const require = createRequire(path.join(work, "package.json"));
const remapping = require("@jridgewell/remapping");
const bin = (tool) => path.join(work, "node_modules", ".bin", tool);
const run = (cwd, tool, ...args) => execFileSync(bin(tool), args, { cwd, stdio: "inherit" });
const read = (...p) => fs.readFileSync(path.join(...p), "utf8");

// A tool must not follow the previous stage's map by itself: drop the comment.
function stripMapComment(file) {
  fs.writeFileSync(file, read(file).replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
}

// Write the chain: stage maps (JSON text as the tools wrote it) and the expected map.
function writeChain(name, stages, expected, reuse = {}) {
  const dir = path.join(here, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  const listed = stages.map((text, k) => {
    if (reuse[k]) return reuse[k];
    fs.writeFileSync(path.join(dir, `${k}.map`), text);
    return `compose/${name}/${k}.map`;
  });
  fs.writeFileSync(path.join(dir, "chain.txt"), listed.join("\n") + "\n");
  fs.writeFileSync(path.join(dir, "expected.map"), expected.toString());
  console.log(`${name}: ${stages.length} stages, expected ${expected.mappings.length} bytes of mappings`);
}

// terser over a generated file of the corpus, composed with the corpus's own map of it.
function terserOverCorpus(name, pkg, js, map) {
  const d = path.join(work, name);
  fs.mkdirSync(d);
  fs.copyFileSync(path.join(here, "..", "corpus", pkg, js), path.join(d, js));
  stripMapComment(path.join(d, js));
  run(d, "terser", js, "-c", "-m", "--source-map", "includeSources", "-o", `${name}.min.js`);
  const stages = [read(d, `${name}.min.js.map`), read(here, "..", "corpus", pkg, map)];
  writeChain(name, stages, remapping(stages.map((s) => JSON.parse(s)), () => null),
             { 1: `corpus/${pkg}/${map}` });
}
terserOverCorpus("toastr", "toastr@2.1.4", "toastr.min.js", "toastr.js.map");
terserOverCorpus("jquery", "jquery@4.0.0", "jquery.min.js", "jquery.min.map");

// ts3: tsc --outFile, esbuild (syntax lowering and minification), terser.
{
  const d = path.join(work, "ts3");
  fs.mkdirSync(d);
  for (const f of ["shapes.ts", "report.ts"]) fs.copyFileSync(path.join(here, "src", f), path.join(d, f));
  run(d, "tsc", "shapes.ts", "report.ts", "--outFile", "out.js", "--module", "none",
      "--target", "es2017", "--sourceMap", "--inlineSources");
  stripMapComment(path.join(d, "out.js"));
  run(d, "esbuild", "out.js", "--outfile=mid.js", "--sourcemap", "--target=es2015",
      "--format=iife", "--minify-syntax");
  stripMapComment(path.join(d, "mid.js"));
  run(d, "terser", "mid.js", "-c", "-m", "--source-map", "includeSources", "-o", "min.js");
  const stages = [read(d, "min.js.map"), read(d, "mid.js.map"), read(d, "out.js.map")];
  writeChain("ts3", stages, remapping(stages.map((s) => JSON.parse(s)), () => null));
}

// rollup: tsc on one module, rollup bundling it with plain JS and a node_modules
// dependency (ignore list), terser over the bundle.  The bundle has several
// sources, so remapping takes the chain through a loader that finds a map by
// the name of the source it belongs to, as sourcemap_compose matches "file".
{
  const d = path.join(work, "rollup");
  fs.cpSync(path.join(here, "src"), d, { recursive: true });
  run(d, "tsc", "gen.ts", "--sourceMap", "--inlineSources", "--target", "es2020",
      "--module", "es2020");
  stripMapComment(path.join(d, "gen.js"));
  run(d, "rollup", "entry.js", "--file", "bundle.js", "--format", "es", "--sourcemap");
  stripMapComment(path.join(d, "bundle.js"));
  run(d, "terser", "bundle.js", "-c", "-m", "--module", "--source-map", "includeSources",
      "-o", "bundle.min.js");
  const stages = [read(d, "bundle.min.js.map"), read(d, "bundle.js.map"), read(d, "gen.js.map")];
  const byFile = new Map(stages.slice(1).map((s) => [JSON.parse(s).file, JSON.parse(s)]));
  writeChain("rollup", stages, remapping(JSON.parse(stages[0]), (file) => byFile.get(file) || null));
}

// edge: a hand-made chain for the rules real tools rarely hit (made here, composed by
// remapping like the others): positions no segment covers, 1-field segments, null and
// empty sources and names, the inner name winning, redundant segments, an original
// source of the first map with the same name as one of the second (its content and
// ignore flag), a map with several sources matched by "file".
{
  const { encode } = require("@jridgewell/sourcemap-codec");
  const mid = {
    version: 3, file: "mid.js", sources: ["a.js", null, ""], names: ["inner"],
    sourcesContent: ["A from mid", null, null], ignoreList: [0],
    mappings: encode([
      [[12, 0, 0, 0], [14, 0, 0, 5, 0]],
      [[0, 0, 1, 0], [4, 1, 0, 0], [6, 2, 0, 0]],
      [[0], [3, 0, 2, 2]],
    ]),
  };
  const out = {
    version: 3, file: "out.js", sources: ["mid.js", "own.js", "a.js"], names: ["outer", "", "inner"],
    sourcesContent: [null, "own", "A from out"], ignoreList: [1],
    mappings: encode([
      [[0, 0, 0, 0, 0], [2, 0, 0, 12, 0], [4, 0, 0, 15, 0], [6, 0, 0, 15], [8], [9],
       [10, 0, 1, 2], [12, 0, 1, 5], [14, 0, 1, 7, 1], [16, 0, 9, 0], [18, 1, 4, 4, 2],
       [20, 2, 3, 3], [22, 0, 0, 14, 2]],
      [[0, 0, 2, 1], [3, 0, 2, 3], [5, 2, 0, 0, 1], [7, 0, 0, 12]],
      [],
      [[5, 0, 0, 14, 1], [6, 1, 0, 0], [8, 0, 0, 20], [9, 0, 1, 0, 0]],
    ]),
  };
  const stages = [out, mid].map((m) => JSON.stringify(m));
  writeChain("edge", stages, remapping(out, (file) => (file === "mid.js" ? mid : null)));
}
