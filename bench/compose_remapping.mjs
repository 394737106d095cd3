// bench/compose_remapping.mjs -- @jridgewell/remapping on the chains of
// test/data/compose, for bench/compose.sh: median CPU time of remapping over
// the stage maps' JSON text plus toString() of the result (parse, trace,
// encode), one line per chain.  Arguments: the folder with remapping
// installed, the repetitions, the chain folders.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const [work, repsArg, ...chains] = process.argv.slice(2);
const remapping = createRequire(path.join(work, "package.json"))("@jridgewell/remapping");
const reps = Number(repsArg);
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

console.log("chain\tremapping_ms");
for (const dir of chains) {
  const stages = fs.readFileSync(path.join(dir, "chain.txt"), "utf8").trim().split("\n")
    .map((f) => fs.readFileSync(path.join(dir, "..", "..", f), "utf8"));
  const byFile = new Map(stages.slice(1).map((s) => [JSON.parse(s).file, s]));
  const single = stages.slice(0, -1).every((s) => JSON.parse(s).sources.length <= 1);
  const times = [];
  for (let r = 0; r < reps; r++) {
    const t0 = cpuMs();
    const out = single ? remapping(stages, () => null)
      : remapping(stages[0], (file) => byFile.get(file) || null);
    out.toString();
    times.push(cpuMs() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${path.basename(dir)}\t${times[reps >> 1].toFixed(3)}`);
}
