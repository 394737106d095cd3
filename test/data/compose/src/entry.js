// Entry of the "rollup" chain: plain JavaScript (an original source of the
// bundle), a compiled TypeScript module and a dependency under node_modules
// (which rollup puts in the ignore list).
import { atLeast, format } from "./gen.js";
import { pad } from "./node_modules/leftpad-lite/index.js";

export function makeLogger(threshold) {
  const lines = [];
  return {
    log(level, message) {
      if (!atLeast(level, threshold)) return;
      lines.push(pad(format(level, message, new Date(0)), 40));
    },
    lines() {
      return lines.slice();
    },
  };
}

const logger = makeLogger("info");
logger.log("debug", "hidden");
logger.log("warn", "disk almost full");
throw new Error(logger.lines().join("\n"));
