#!/usr/bin/env python3
"""Rebuild the benchmark corpus from npm, by the pinned list in bench/corpus.tsv.

    python3 bench/fetch_corpus.py DEST [--cache DIR] [--only SUBSTRING ...]

For each package@version in the list it runs `npm pack` (the ordinary npm
client, exact versions, one tarball per package), extracts the listed map and
writes it to DEST/<path>.  Every file's sha256 must match the list, so a
rebuilt corpus is byte-identical to the one in ../shared/oracle/corpus.
Files already present with the right sha256 are kept.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def pinned():
    rows = []
    with open(os.path.join(HERE, 'corpus.tsv')) as f:
        head = None
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            if head is None:
                head = cols
                continue
            rows.append(dict(zip(head, cols)))
    return rows


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dest')
    ap.add_argument('--cache', default=os.path.join(tempfile.gettempdir(), 'sourcemap-bench-npm'))
    ap.add_argument('--only', action='append', default=[], help='only paths containing this (repeatable)')
    a = ap.parse_args()
    os.makedirs(a.cache, exist_ok=True)
    tarballs = {}
    bad = 0
    for r in pinned():
        if a.only and not any(o in r['path'] for o in a.only):
            continue
        out = os.path.join(a.dest, r['path'])
        if os.path.exists(out) and sha256(out) == r['sha256']:
            continue
        spec = f"{r['package']}@{r['version']}"
        if spec not in tarballs:
            print(f'npm pack {spec}', file=sys.stderr)
            res = subprocess.run(['npm', 'pack', spec, '--pack-destination', a.cache, '--json', '--silent'],
                                 check=True, capture_output=True, text=True)
            tarballs[spec] = os.path.join(a.cache, json.loads(res.stdout)[0]['filename'])
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with tarfile.open(tarballs[spec], 'r:gz') as t:
            src = t.extractfile(r['member'])
            with open(out + '.tmp', 'wb') as f:
                f.write(src.read())
        os.replace(out + '.tmp', out)
        got = sha256(out)
        if got != r['sha256']:
            bad += 1
            print(f"SHA MISMATCH {r['path']}: want {r['sha256']} got {got}", file=sys.stderr)
        else:
            print(f"{r['path']}\t{os.path.getsize(out)}")
    if bad:
        sys.exit(f'{bad} file(s) differ from bench/corpus.tsv')


if __name__ == '__main__':
    main()
