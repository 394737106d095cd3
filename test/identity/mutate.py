#!/usr/bin/env python3
"""
mutate.py -- maps with damaged "mappings", for test/identity/run.sh.

    mutate.py OUTDIR COUNT SEED MAP...

Writes COUNT maps to OUTDIR, each one of the given MAPs with its
"mappings" cut to a prefix (kept from the start, so the running values stay
valid and a fault lands deep in the string) and then damaged: digits
replaced, separators and stray bytes inserted, long or "B" values, a cut in
the middle of a value; some keep fewer sources or names, so indexes run out,
and some go into an index map section with an offset.  run.sh compares what
two builds of the core make of each (the stored bytes, or the error with its
position), so a change to the decoder's hot path that accepts, refuses or
reports anything differently shows up.  The same SEED gives the same maps.
"""
import json
import os
import random
import sys

DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# separators, "B" (-2^31), continuation runs, a value past 32 bits, bytes that are no digit
PIECES = [",", ";", ",,", ",;", "B", "g", "gggg", "ggggggggA", "+/////D", "ggggggE", "!", " ", "="]


def damage(rng, m):
    m = list(m)
    for _ in range(rng.choice([1, 1, 2, 4])):
        if not m:
            break
        i = rng.randrange(len(m))
        op = rng.random()
        if op < 0.35:
            m[i] = rng.choice(DIGITS)
        elif op < 0.65:
            m.insert(i, rng.choice(PIECES))
        elif op < 0.85:
            del m[i]
        else:
            m = m[:i]
    return "".join(m)


def main():
    outdir, count, seed, maps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    rng = random.Random(seed)
    docs = [json.load(open(p, encoding="utf-8")) for p in maps]
    docs = [d for d in docs if isinstance(d.get("mappings"), str) and len(d["mappings"]) > 100]
    if not docs:
        sys.exit("mutate.py: no map with a \"mappings\" string of 100 bytes or more")
    os.makedirs(outdir, exist_ok=True)
    for k in range(count):
        src = rng.choice(docs)
        full = src["mappings"]
        cut = min(len(full), rng.choice([40, 400, 4000, 40000]))
        doc = {
            "version": 3,
            "sources": src.get("sources", [])[: rng.choice([1, 3, 10 ** 9])],
            "names": src.get("names", [])[: rng.choice([0, 10, 10 ** 9])],
            "mappings": damage(rng, full[:cut]),
        }
        if rng.random() < 0.25:
            offset = {"line": rng.choice([0, 3]), "column": rng.choice([0, 7, 2147483600])}
            doc = {"version": 3, "sections": [{"offset": offset, "map": doc}]}
        with open(os.path.join(outdir, "mutant-%05d.map" % k), "w", encoding="utf-8") as f:
            json.dump(doc, f)


if __name__ == "__main__":
    main()
