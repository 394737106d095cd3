// Compiled by tsc on its own (gen.js + gen.js.map, "file": "gen.js"), then
// bundled by rollup with entry.js: the "rollup" chain matches the bundle's
// source "gen.js" to this map by name.
export type Level = "debug" | "info" | "warn" | "error";

const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function atLeast(level: Level, threshold: Level): boolean {
  return order[level] >= order[threshold];
}

export function format(level: Level, message: string, when: Date): string {
  const stamp = when.toISOString();
  return `[${stamp}] ${level.toUpperCase()}: ${message}`;
}
