#!/usr/bin/env python3
"""bench.py -- the measurements of bench/run (see bench/README.md for the method).

bench/run prepares everything (built library copies, core_bench variants, the
corpus, trace-mapping, a running throwaway cluster reachable through PGHOST /
PGPORT / PGUSER) and then calls:

    python3 bench/bench.py --work DIR --corpus DIR --core DIR --lib DIR
        --node-modules DIR [--quick] [--only SECTION,...] [--out FILE]

Sections: setup targets functions core ingest literal lookup batch storage
memory blocks interrupts.  `targets` (targets.py) measures every target of
issue 11 against the floor function of bench/floor; `functions`
(functions.py) the per-frame cost of issue 13's symbolication functions
against the same floor and sourcemap_lookup; bench/run --targets runs these
two alone.
Everything runs side by side in one run: repetitions are interleaved (every
round visits every variant in a shuffled order) and medians are reported.
Writes bench/results/<date>-<host>.md and copies it to bench/RESULTS.md.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RNG = random.Random(20251125)
MB = 1e6


def log(*a):
    print(time.strftime('%H:%M:%S'), *a, file=sys.stderr, flush=True)


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def shuffled(xs):
    xs = list(xs)
    RNG.shuffle(xs)
    return xs


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


# ---------------------------------------------------------------- corpus ---

def corpus_list(path=None):
    """The maps of a TSV with path, bytes and segments columns: bench/corpus.tsv
    (the pinned npm list) or the corpus's own MANIFEST.tsv."""
    rows, head = [], None
    with open(path or os.path.join(HERE, 'corpus.tsv')) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            if head is None:
                head = cols
                continue
            r = dict(zip(head, cols))
            r['bytes'] = int(r['bytes'])
            r['segments'] = int(r['segments'])
            rows.append(r)
    for i, r in enumerate(rows, 1):
        r['id'] = i
        r['short'] = short_name(r['path'])
    return rows


def short_name(path):
    pkg, _, base = path.rpartition('/')
    pkg = pkg.lstrip('@').split('/')[-1]
    return f"{pkg.split('@')[0]} {base}"


# ------------------------------------------------------------ psql session ---

class PgError(Exception):
    pass


class Session:
    """One psql process = one backend; statements are sent on stdin and the
    output is read up to a marker, so the backend's pid can be watched."""
    n = 0

    def __init__(self, db, pgoptions=None):
        env = dict(os.environ)
        if pgoptions:
            env['PGOPTIONS'] = pgoptions
        self.p = subprocess.Popen(['psql', '-X', '-q', '-A', '-t', '-d', db],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, bufsize=1, env=env)
        self.pid = int(self.run('SELECT pg_backend_pid();')[0])

    def run(self, sql, check=True):
        Session.n += 1
        mark = f'__bench_end_{Session.n}__'
        self.p.stdin.write(sql.rstrip() + '\n\\echo ' + mark + '\n')
        self.p.stdin.flush()
        out = []
        while True:
            line = self.p.stdout.readline()
            if line == '':
                raise PgError('psql exited: ' + '\n'.join(out[-20:]))
            line = line.rstrip('\n')
            if line == mark:
                break
            out.append(line)
        if check and any(l.startswith(('ERROR:', 'FATAL:', 'psql:')) for l in out):
            raise PgError(f'{sql[:300]}\n' + '\n'.join(out[-20:]))
        return out

    def minflt(self):
        with open(f'/proc/{self.pid}/stat') as f:
            return int(f.read().rpartition(')')[2].split()[7])

    def cpu_ns(self):
        with open(f'/proc/{self.pid}/schedstat') as f:
            return int(f.read().split()[0])

    def timed(self, sql):
        """Run sql; return (output lines, backend CPU ms)."""
        c0 = self.cpu_ns()
        out = self.run(sql)
        return out, (self.cpu_ns() - c0) / 1e6

    def close(self):
        try:
            self.p.stdin.write('\\q\n')
            self.p.stdin.flush()
        except BrokenPipeError:
            pass
        self.p.wait(timeout=60)


def exec_time(lines):
    for l in lines:
        m = re.match(r'\s*Execution Time: ([0-9.]+) ms', l)
        if m:
            return float(m.group(1))
    raise PgError('no Execution Time in:\n' + '\n'.join(lines[-10:]))


def psql(db, sql):
    return sh(['psql', '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql]).strip()


def proc_status(pid):
    d = {}
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            k, _, v = line.partition(':')
            if v.strip().endswith('kB'):
                d[k] = int(v.split()[0])
    return d


# ---------------------------------------------------------------- bench ---

class Bench:
    def __init__(self, a):
        self.a = a
        self.quick = a.quick
        self.maps = corpus_list(a.corpus_list)
        if self.quick:
            keep = ('pdf.worker.mjs.map', 'jquery.min.map', 'toastr.js.map')
            self.maps = [m for m in self.maps if m['path'].endswith(keep)]
        for m in self.maps:
            m['file'] = os.path.join(a.corpus, m['path'])
        self.by_id = {m['id']: m for m in self.maps}
        self.big = [m for m in self.maps if m['bytes'] >= 5_000_000] or self.maps[:1]
        self.largest = max(self.maps, key=lambda m: m['bytes'])
        self.r = {}             # results, by section
        self.notes = []
        self.db = 'bench'
        q = self.quick
        self.p = dict(
            ingest_reps=3 if q else 5,
            core_reps=2,
            core_build_reps=1 if q else 2,
            lookup_rounds=2 if q else 4,
            lookup_secs=2 if q else 3,
            lookup_positions=100,
            batch_frames=100_000 if q else 1_000_000,
            batch_reps=2 if q else 3,
            batch_again_max_ms=10_000,
            memory_reps=1 if q else 3,
            block_rounds=3,
            block_secs=2,
            t11_frames_per_map=a.frames_per_map or (2_000 if q else 20_000),
            t11_rounds=2 if q else 3,
            t11_ingest_reps=1 if q else 3,
            fn_frames=4_000 if q else 20_000,
            fn_stacks=500 if q else 2_000,
            fn_urls=5_000 if q else 20_000,
            fn_compose_reps=2 if q else 4,
            fn_rounds=2 if q else 3,
        )

    # ---- setup ----
    def lib(self, name='sourcemap'):
        return os.path.join(self.a.lib, name + '.so')

    def make_db(self, db, so, ids):
        psql('postgres', f'DROP DATABASE IF EXISTS {db}')
        psql('postgres', f'CREATE DATABASE {db}')
        ver = f" VERSION '{self.a.extversion}'" if self.a.extversion else ''
        psql(db, f'CREATE EXTENSION sourcemap{ver}')
        # Point the functions at a private copy of the library (see README: Method).
        n = psql(db, f"WITH u AS (UPDATE pg_proc SET probin = '{so}' WHERE probin = '$libdir/sourcemap' "
                     f"RETURNING 1) SELECT count(*) FROM u")
        if int(n) == 0:
            raise PgError('no function of the extension found to repoint')
        floor = self.lib('floor')
        if os.path.exists(floor):
            # bench/floor: the floor of the per-frame and single lookups (targets.py)
            psql(db, f"CREATE FUNCTION sourcemap_bench_floor(sourcemap, int, int) RETURNS sourcemap_position "
                     f"AS '{floor}', 'sourcemap_bench_floor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100")
        s = Session(db)
        s.run("""
            CREATE TABLE raw (id int PRIMARY KEY, path text, bytes int, doc text);
            ALTER TABLE raw ALTER doc SET STORAGE EXTERNAL;
            CREATE TABLE maps (id int PRIMARY KEY, map sourcemap);
        """)
        for i in ids:
            m = self.by_id[i]
            s.run(f"INSERT INTO raw VALUES ({i}, '{m['path']}', {m['bytes']}, pg_read_file('{m['file']}'));")
        s.run('INSERT INTO maps SELECT id, doc::sourcemap FROM raw; VACUUM ANALYZE raw; VACUUM ANALYZE maps;')
        probin = s.run("SELECT DISTINCT probin FROM pg_proc WHERE probin LIKE '%sourcemap%';")
        s.close()
        return probin

    def setup(self):
        log('setup: database', self.db)
        probin = self.make_db(self.db, self.lib(), [m['id'] for m in self.maps])
        s = Session(self.db)
        s.run("""
            CREATE TABLE t_sourcemap (id int, v sourcemap);
            CREATE TABLE t_text (id int, v text);
            CREATE TABLE t_jsonb (id int, v jsonb);
            CREATE TABLE s_text (id int PRIMARY KEY, v text);
            CREATE TABLE s_jsonb (id int PRIMARY KEY, v jsonb);
        """)
        ver = s.run('SELECT version();')[0]
        s.close()
        self.r['setup'] = dict(probin=probin, pg_version=ver)

    # ---- core (outside PostgreSQL) and node, interleaved ----
    def core(self):
        have = sorted(os.path.basename(p)[len('core_bench_'):] for p in glob.glob(os.path.join(self.a.core, 'core_bench_*')))
        blocks = [v for v in have if v.startswith('bs')]
        main = [v for v in have if v not in blocks]
        files = [m['file'] for m in self.maps]
        bigfiles = [m['file'] for m in self.big]
        reps = self.p['core_reps']
        tasks = [('node', None)] + [('core', v) for v in main + blocks]
        rows = {}        # (variant, path) -> list of dicts
        node = {}        # path -> list of (json_ms, tm_ms, tm_cpu_ms)
        probe = None
        for rep in range(reps):
            for kind, v in shuffled(tasks):
                log(f'core: rep {rep + 1}/{reps} {kind} {v or ""}')
                if kind == 'node':
                    out = sh(['node', '--expose-gc', '--max-old-space-size=8000',
                              os.path.join(HERE, 'node_parse.mjs'), '--modules', self.a.node_modules,
                              '--runs', '3' if not self.quick else '1'] + files)
                    for line in out.splitlines():
                        f, b, jm, tm, tc = line.split('\t')
                        node.setdefault(self.rel(f), []).append((float(jm), float(tm), float(tc)))
                    continue
                # lookups only where they differ: the default build and the block sizes
                looks = v == 'default' or v.startswith('bs')
                args = [self.core_bin(v), '--build-reps', str(self.p['core_build_reps']),
                        '--cold', '2000' if looks else '0',
                        '--warm', ('100000' if not self.quick else '20000') if looks else '0']
                if v == 'default':
                    args.append('--fault-probe')
                out = sh(args + (bigfiles if v.startswith('bs') else files))
                head = None
                for line in out.splitlines():
                    if line.startswith('# fault_probe'):
                        probe = dict(kv.split('=') for kv in line.split()[2:])
                        continue
                    if line.startswith('#'):
                        continue
                    cols = line.split('\t')
                    if head is None:
                        head = cols
                        continue
                    d = dict(zip(head, cols))
                    rows.setdefault((v, d['map']), []).append(d)
        agg = {}
        for (v, path), ds in rows.items():
            a = {}
            for k in ds[0]:
                if k in ('variant', 'map'):
                    continue
                a[k] = median([float(d[k]) for d in ds])
            agg[(v, path)] = a
        nagg = {p: dict(json_ms=median([x[0] for x in xs]), tm_ms=median([x[1] for x in xs]),
                        tm_cpu_ms=median([x[2] for x in xs])) for p, xs in node.items()}
        # trace-mapping's extra memory for the largest map (fresh process)
        out = sh(['node', '--max-old-space-size=8000', os.path.join(HERE, 'node_parse.mjs'),
                  '--modules', self.a.node_modules, '--rss', self.largest['file']])
        _, _, before, peak = out.split('\t')
        self.r['core'] = dict(agg=agg, node=nagg, probe=probe,
                              node_rss=dict(before_kb=int(before), peak_kb=int(peak)))

    def core_bin(self, v):
        p = os.path.join(self.a.core, 'core_bench_' + v)
        return p if os.path.exists(p) else None

    def rel(self, f):
        return os.path.relpath(f, self.a.corpus)

    # ---- ingest, server side ----
    def ingest(self):
        types = ['sourcemap', 'text', 'jsonb']
        reps = self.p['ingest_reps']
        res = {}
        s = Session(self.db)
        # one untimed pass: the backend's first large allocations and the relations' first pages
        for m in self.maps:
            for t in types:
                s.run(f'INSERT INTO t_{t} SELECT id, doc::{t} FROM raw WHERE id = {m["id"]}; TRUNCATE t_{t};')
        for rep in range(reps):
            log(f'ingest: rep {rep + 1}/{reps}')
            for m, t in shuffled([(m, t) for m in self.maps for t in types]):
                out, cpu = s.timed(f'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) '
                                   f'INSERT INTO t_{t} SELECT id, doc::{t} FROM raw WHERE id = {m["id"]};')
                res.setdefault((m['id'], t), []).append((exec_time(out), cpu))
                s.run(f'TRUNCATE t_{t};')
            # what all three pay: reading the staged JSON (detoast) -- for reference
            for m in self.maps:
                out, cpu = s.timed(f'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) '
                                   f'SELECT length(doc) FROM raw WHERE id = {m["id"]};')
                res.setdefault((m['id'], 'read'), []).append((exec_time(out), cpu))
        s.close()
        self.r['ingest'] = {k: dict(ms=median([x[0] for x in v]), cpu_ms=median([x[1] for x in v]),
                                    n=len(v)) for k, v in res.items()}

    # ---- ingest, client literal (psql \set var `cat file`) ----
    def literal(self):
        types = ['sourcemap', 'text', 'jsonb']
        reps = 1 if self.quick else 3
        res = {}
        s = Session(self.db)
        for rep in range(reps):
            log(f'literal ingest: rep {rep + 1}/{reps}')
            for m, t in shuffled([(m, t) for m in self.maps for t in types]):
                s.run(f"\\set json `cat '{m['file']}'`")
                out, cpu = s.timed(f"\\timing on\nINSERT INTO t_{t} VALUES ({m['id']}, :'json');\n\\timing off")
                ms = None
                for l in out:
                    mm = re.match(r'Time: ([0-9.]+) ms', l)
                    if mm:
                        ms = float(mm.group(1))
                res.setdefault((m['id'], t), []).append((ms, cpu))
                s.run(f'TRUNCATE t_{t};')
        s.run('\\unset json')
        s.close()
        self.r['literal'] = {k: dict(ms=median([x[0] for x in v]), cpu_ms=median([x[1] for x in v]))
                             for k, v in res.items()}

    # ---- single lookups (pgbench) ----
    def positions(self, db, mid, n):
        out = psql(db, f'SELECT setseed(0.42); SELECT gen_line, gen_col FROM sourcemap_tokens('
                       f'(SELECT map FROM maps WHERE id = {mid})) ORDER BY random() LIMIT {n}')
        pos = []
        for line in out.splitlines():
            if '|' in line:
                l, c = line.split('|')
                pos.append((int(l), int(c)))
        return pos

    def scripts(self, tag, mid, pos):
        d = os.path.join(self.a.work, 'pgbench', tag)
        os.makedirs(d, exist_ok=True)
        floor = os.path.join(d, 'floor.sql')
        with open(floor, 'w') as f:
            f.write(f'\\set id {mid}\nSELECT id FROM maps WHERE id = :id;\n')
        # the floor plus one small TOAST slice: the staged JSON is stored uncompressed out of line
        with open(os.path.join(d, 'slice.sql'), 'w') as f:
            f.write(f'\\set id {mid}\nSELECT substr(doc, 1, 8) FROM raw WHERE id = :id;\n')
        looks = []
        for i, (l, c) in enumerate(pos):
            p = os.path.join(d, f'lookup{i}.sql')
            with open(p, 'w') as f:
                f.write(f'\\set id {mid}\n\\set line {l}\n\\set col {c}\n'
                        f'SELECT sourcemap_lookup(map, :line::int, :col::int) FROM maps WHERE id = :id;\n')
            looks.append(p)
        return floor, looks

    def pgbench(self, db, files, secs, pgoptions=None):
        d = os.path.join(self.a.work, 'pgbench', 'logs')
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        env = dict(os.environ)
        if pgoptions:
            env['PGOPTIONS'] = pgoptions
        args = ['pgbench', '-n', '-M', 'prepared', '-c', '1', '-j', '1', '-T', str(secs),
                '-l', '--log-prefix', os.path.join(d, 'tx'), db]
        for f in files:
            args += ['-f', f + '@1']
        subprocess.run(args, check=True, capture_output=True, text=True, env=env)
        lat = []
        for p in glob.glob(os.path.join(d, 'tx*')):
            with open(p) as f:
                for line in f:
                    c = line.split()
                    if len(c) >= 3:
                        lat.append(int(c[2]))
        return lat

    def lookup_maps(self):
        if self.quick:
            return [self.largest]
        want = ('babylon.js.map', 'babel.js.map', 'tf.min.js.map', 'echarts.js.map', 'jquery.min.map')
        return [m for m in self.maps if m['path'].endswith(want)]

    def lookup(self):
        maps = self.lookup_maps()
        kinds = {'floor': None, 'slice': None, 'warm': None, 'cold': 'sourcemap.cache_size=0'}
        sc, allpos = {}, {}
        for m in maps:
            pos = self.positions(self.db, m['id'], self.p['lookup_positions'])
            allpos[m['id']] = pos
            sc[m['id']] = self.scripts(f'main{m["id"]}', m['id'], pos)
        lat = {}
        rounds = self.p['lookup_rounds']
        for rnd in range(rounds):
            log(f'lookup: round {rnd + 1}/{rounds}')
            for m in shuffled(maps):
                for k in shuffled(kinds):
                    floor, looks = sc[m['id']]
                    files = ([floor] if k == 'floor' else
                             [os.path.join(os.path.dirname(floor), 'slice.sql')] if k == 'slice' else looks)
                    opt = f'-c {kinds[k]}' if kinds[k] else None
                    xs = self.pgbench(self.db, files, self.p['lookup_secs'], opt)
                    lat.setdefault((m['id'], k), []).append(xs)
        self.r['lookup'] = self.summarize_latency(lat)
        # Why: minor page faults and backend CPU per statement, the same statements one by one in
        # psql (after one untimed pass, so the warm cache is filled and the backend's heap has grown).
        diag = {}
        for rnd in range(3):
            for m, k in shuffled([(m, k) for m in maps for k in kinds if k != 'slice']):
                opt = kinds[k]
                s = Session(self.db, f'-c {opt}' if opt else None)
                if k == 'floor':
                    stmts = [f'SELECT id FROM maps WHERE id = {m["id"]};'] * len(allpos[m['id']])
                else:
                    stmts = [f'SELECT sourcemap_lookup(map, {l}, {c}) FROM maps WHERE id = {m["id"]};'
                             for l, c in allpos[m['id']]]
                s.run('\n'.join(stmts))
                f0, c0 = s.minflt(), s.cpu_ns()
                s.run('\n'.join(stmts))
                f1, c1 = s.minflt(), s.cpu_ns()
                s.close()
                diag.setdefault((m['id'], k), []).append(((f1 - f0) / len(stmts), (c1 - c0) / 1e3 / len(stmts)))
        self.r['lookup_diag'] = {key: dict(faults=median([x[0] for x in v]), cpu_us=median([x[1] for x in v]))
                                 for key, v in diag.items()}

    @staticmethod
    def summarize_latency(lat):
        out = {}
        for (mid, k), rounds in lat.items():
            allx = [x for r in rounds for x in r]
            out[(mid, k)] = dict(us=median(allx), n=len(allx), round_us=[median(r) for r in rounds])
        # ratio to the floor, per round and pooled
        for (mid, k), d in out.items():
            f = out.get((mid, 'floor'))
            if f and f['us']:
                d['ratio'] = d['us'] / f['us']
                d['round_ratio'] = [a / b for a, b in zip(d['round_us'], f['round_us']) if a and b]
        return out

    # ---- batch ----
    def batch(self):
        n = self.p['batch_frames']
        log(f'batch: making {n} frames')
        s = Session(self.db)
        s.run(f"""
            DROP TABLE IF EXISTS seg_sample, frames;
            SELECT setseed(0.17);
            CREATE TABLE seg_sample AS
              SELECT m.id AS map_id, row_number() OVER (PARTITION BY m.id) AS k, t.gen_line, t.gen_col
                FROM maps m, LATERAL (SELECT gen_line, gen_col FROM sourcemap_tokens(m.map)
                                        WHERE random() < 20000.0 / (sourcemap_info(m.map)).segments
                                        OFFSET 0) t;  -- OFFSET 0: keep random() per token
            CREATE INDEX ON seg_sample (map_id, k);
            CREATE TEMP TABLE mapcount AS
              SELECT row_number() OVER (ORDER BY map_id) AS mi, map_id, count(*) AS n FROM seg_sample GROUP BY map_id;
            CREATE TABLE frames AS
              SELECT x.g AS id, s.map_id, s.gen_line AS line, s.gen_col + (x.g % 3)::int AS col
                FROM (SELECT g, 1 + floor(random() * (SELECT count(*) FROM mapcount))::int AS mi, random() AS r
                        FROM generate_series(1, {n}) g) x
                JOIN mapcount c ON c.mi = x.mi
                JOIN seg_sample s ON s.map_id = c.map_id AND s.k = 1 + floor(x.r * c.n)::int
               ORDER BY x.g;
            VACUUM ANALYZE frames;
        """)
        nf = int(s.run('SELECT count(*) FROM frames;')[0])
        s.close()
        q = {
            'bare join': 'SELECT f.id, f.line, f.col, m.id FROM frames f JOIN maps m ON m.id = f.map_id',
            'lateral lookup': 'SELECT f.id, p.source, p.line, p.col, p.name FROM frames f '
                              'JOIN maps m ON m.id = f.map_id CROSS JOIN LATERAL sourcemap_lookup(m.map, f.line, f.col) p',
            'scalar lookup': 'SELECT f.id, sourcemap_lookup(m.map, f.line, f.col) FROM frames f JOIN maps m ON m.id = f.map_id',
            'lateral lookup, frames sorted': 'SELECT f.id, p.source, p.line, p.col, p.name FROM '
                                             '(SELECT * FROM frames ORDER BY map_id, line, col) f '
                                             'JOIN maps m ON m.id = f.map_id CROSS JOIN LATERAL sourcemap_lookup(m.map, f.line, f.col) p',
            'bare join, frames sorted': 'SELECT f.id, f.line, f.col, m.id FROM (SELECT * FROM frames ORDER BY map_id, line, col) f '
                                        'JOIN maps m ON m.id = f.map_id',
            'lateral lookup, 1 GB cache': 'SET sourcemap.cache_size = \'1GB\'; '
                                          'SELECT f.id, p.source, p.line, p.col, p.name FROM frames f '
                                          'JOIN maps m ON m.id = f.map_id CROSS JOIN LATERAL sourcemap_lookup(m.map, f.line, f.col) p',
            # the aggregates of one group see its rows in the same order, so ids[ord] is the frame
            'arrays, bare (unnest)': 'SELECT u.id, u.l, u.c FROM (SELECT map_id, array_agg(id) ids, array_agg(line) ls, '
                                     'array_agg(col) cs FROM frames GROUP BY map_id) a '
                                     'JOIN maps m ON m.id = a.map_id CROSS JOIN LATERAL unnest(a.ids, a.ls, a.cs) u(id, l, c)',
            'arrays, batch lookup': 'SELECT a.ids[b.ord], b.source, b.line, b.col, b.name FROM (SELECT map_id, '
                                    'array_agg(id) ids, array_agg(line) ls, array_agg(col) cs FROM frames GROUP BY map_id) a '
                                    'JOIN maps m ON m.id = a.map_id CROSS JOIN LATERAL sourcemap_lookup(m.map, a.ls, a.cs) b',
        }
        res, stats = {}, {}
        reps = self.p['batch_reps']
        for rep in range(reps):
            log(f'batch: rep {rep + 1}/{reps}')
            for name in shuffled(q):
                # a fresh backend: the cache starts empty; then the same query again in it
                s = Session(self.db)
                pre, _, sql = q[name].rpartition('; ')
                if pre:
                    s.run(pre + ';')
                out, cpu = s.timed(f'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) {sql};')
                st = s.run('SELECT hits, misses, evictions, entries, bytes FROM sourcemap_cache_stats();')[0]
                ms = exec_time(out)
                ms2 = cpu2 = None
                if ms <= self.p['batch_again_max_ms']:
                    out2, cpu2 = s.timed(f'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) {sql};')
                    ms2 = exec_time(out2)
                s.close()
                res.setdefault(name, []).append((ms, cpu, ms2, cpu2))
                stats[name] = st
        self.r['batch'] = dict(frames=nf, queries=q, stats=stats,
                               res={k: dict(ms=median([x[0] for x in v]), cpu_ms=median([x[1] for x in v]),
                                            ms2=median([x[2] for x in v]), cpu_ms2=median([x[3] for x in v]))
                                    for k, v in res.items()})

    # ---- how soon long statements end after a timeout or cancel ----
    def interrupts(self):
        import interrupts
        self.r['interrupts'] = interrupts.measure(self, Session, log, median, shuffled)

    # ---- storage ----
    def storage(self):
        log('storage')
        s = Session(self.db)
        s.run('TRUNCATE s_text, s_jsonb; INSERT INTO s_text SELECT id, doc FROM raw; '
              'INSERT INTO s_jsonb SELECT id, doc::jsonb FROM raw;')
        out = s.run('SELECT m.id, pg_column_size(m.map), pg_column_size(t.v), pg_column_size(j.v), '
                    '(sourcemap_info(m.map)).stored_bytes FROM maps m JOIN s_text t USING (id) '
                    'JOIN s_jsonb j USING (id) ORDER BY 1;')
        s.close()
        res = {}
        for line in out:
            i, sm, tx, jb, st = map(int, line.split('|'))
            with open(self.by_id[i]['file'], 'rb') as f:
                z = len(zlib.compress(f.read(), 6))
            res[i] = dict(sourcemap=sm, text=tx, jsonb=jb, stored=st, zlib6=z)
        self.r['storage'] = res

    # ---- peak backend memory during ingest ----
    def ingest_peak(self, t, how, m):
        """Peak memory over a fresh backend's baseline while it stores map m as
        type t, staged (INSERT ... SELECT from raw) or as a psql literal."""
        s = Session(self.db)
        # load the library and the catalog entries first, so the baseline has them
        s.run("SELECT sourcemap_info('{\"version\":3,\"sources\":[],\"mappings\":\"\"}'); "
              f"SELECT count(*) FROM t_{t};")
        if how == 'literal':
            s.run(f"\\set json `cat '{m['file']}'`")
            sql = f"INSERT INTO t_{t} VALUES ({m['id']}, :'json');"
        else:
            sql = f'INSERT INTO t_{t} SELECT id, doc::{t} FROM raw WHERE id = {m["id"]};'
        base = proc_status(s.pid)
        peak = dict(RssAnon=base.get('RssAnon', 0), RssShmem=base.get('RssShmem', 0))
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                try:
                    st = proc_status(s.pid)
                except (OSError, ValueError):
                    break
                for k in peak:
                    peak[k] = max(peak[k], st.get(k, 0))
                time.sleep(0.001)
        th = threading.Thread(target=sample)
        th.start()
        s.run(sql)
        stop.set()
        th.join()
        after = proc_status(s.pid)
        s.run(f'TRUNCATE t_{t};')
        s.close()
        return dict(hwm_kb=after['VmHWM'] - base['VmHWM'],
                    anon_kb=peak['RssAnon'] - base.get('RssAnon', 0),
                    shmem_kb=peak['RssShmem'] - base.get('RssShmem', 0))

    def memory(self):
        m = self.largest
        res = {}
        reps = self.p['memory_reps']
        cases = [(t, how) for t in ('sourcemap', 'text', 'jsonb') for how in ('staged', 'literal')]
        for rep in range(reps):
            log(f'memory: rep {rep + 1}/{reps}')
            for t, how in shuffled(cases):
                res.setdefault((t, how), []).append(self.ingest_peak(t, how, m))
        self.r['memory'] = dict(map=m['id'], res={k: {f: median([d[f] for d in v]) for f in v[0]}
                                                  for k, v in res.items()})

    # ---- block-size curve in PostgreSQL ----
    def blocks(self):
        sizes = [n for n in (64, 128, 256, 512, 1024, 2048) if os.path.exists(self.lib(f'sourcemap_bs{n}'))]
        if not sizes:
            return
        want = ('babylon.js.map', 'babel.js.map')
        maps = [m for m in self.maps if m['path'].endswith(want)] or [self.largest]
        ids = [m['id'] for m in maps]
        sc, size = {}, {}
        for n in sizes:
            db = f'bs{n}'
            log(f'blocks: database {db}')
            self.make_db(db, self.lib(f'sourcemap_bs{n}'), ids)
            for m in maps:
                pos = self.positions(db, m['id'], self.p['lookup_positions'])
                sc[(n, m['id'])] = self.scripts(f'{db}_{m["id"]}', m['id'], pos)
            out = psql(db, 'SELECT id, pg_column_size(map) FROM maps ORDER BY id')
            for line in out.splitlines():
                i, b = map(int, line.split('|'))
                size[(n, i)] = b
        kinds = {'floor': None, 'warm': None, 'cold': 'sourcemap.cache_size=0'}
        lat = {}
        rounds = self.p['block_rounds']
        for rnd in range(rounds):
            log(f'blocks: round {rnd + 1}/{rounds}')
            for n, m, k in shuffled([(n, m, k) for n in sizes for m in maps for k in kinds]):
                floor, looks = sc[(n, m['id'])]
                xs = self.pgbench(f'bs{n}', [floor] if k == 'floor' else looks, self.p['block_secs'],
                                  f'-c {kinds[k]}' if kinds[k] else None)
                lat.setdefault(((n, m['id']), k), []).append(xs)
        for n in sizes:
            psql('postgres', f'DROP DATABASE IF EXISTS bs{n}')
        self.r['blocks'] = dict(sizes=sizes, maps=ids, size=size, lat=self.summarize_latency(lat))

    # ---- every target of issue 11 (targets.py) ----
    def targets(self):
        import targets
        self.r['targets'] = targets.measure(self, Session, log, median, shuffled, exec_time)

    # ---- the symbolication functions of issue 13 (functions.py) ----
    def functions(self):
        import functions
        self.r['functions'] = functions.measure(self, Session, log, median, shuffled, exec_time)

    # ---------------------------------------------------------- report ---
    def machine(self):
        cpu = ''
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
        with open('/proc/meminfo') as f:
            memtotal = int(f.readline().split()[1])
        try:
            commit = sh(['git', '-C', REPO, 'rev-parse', '--short', 'HEAD']).strip()
            dirty = sh(['git', '-C', REPO, 'status', '--porcelain', '--untracked-files=no', '--', 'src', 'Makefile',
                        '*.sql']).strip()
            if dirty:
                commit += ' (with uncommitted changes in src/)'
        except (subprocess.CalledProcessError, FileNotFoundError):
            commit = '?'
        return dict(host=socket.gethostname(), nproc=os.cpu_count(), cpu=cpu, ram_gb=memtotal / 1024 / 1024,
                    kernel=platform.release(), node=node_version(), commit=commit,
                    load=os.getloadavg())


def node_version():
    try:
        return sh(['node', '--version']).strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return '–'


def jsonable(x):
    if isinstance(x, dict):
        return {(k if isinstance(k, str) else json.dumps(k)): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    return x


def tuplify(x):
    return tuple(tuplify(v) for v in x) if isinstance(x, list) else x


def unjsonable(x):
    if isinstance(x, dict):
        out = {}
        for k, v in x.items():
            if k[:1] == '[' or k.isdigit():
                k = tuplify(json.loads(k))
            out[k] = unjsonable(v)
        return out
    if isinstance(x, list):
        return [unjsonable(v) for v in x]
    return x


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--work', required=True)
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--core', required=True)
    ap.add_argument('--lib', required=True)
    ap.add_argument('--node-modules', required=True)
    ap.add_argument('--extversion', default='')
    ap.add_argument('--default-block-segments', type=int, default=None,
                    help='SM_BLOCK_SEGMENTS compiled into the default build')
    ap.add_argument('--default-content-level', type=int, default=None,
                    help='SM_CONTENT_ZLEVEL compiled into the default build')
    ap.add_argument('--started', type=float, default=time.time())
    ap.add_argument('--quick', action='store_true')
    ap.add_argument('--corpus-list', default=None,
                    help='TSV of the maps (path, bytes, segments); default bench/corpus.tsv')
    ap.add_argument('--frames-per-map', type=int, default=None,
                    help='targets: random segments per map in the frames table (default 20000, quick 2000)')
    ap.add_argument('--only', default='', help='comma-separated sections to run (setup always runs)')
    ap.add_argument('--out', default=None, help='report file (default bench/results/<date>-<host>.md)')
    ap.add_argument('--no-results-copy', action='store_true', help='do not copy the report to bench/RESULTS.md')
    ap.add_argument('--render-from', default=None, help='only render the report from a saved results .json')
    a = ap.parse_args()
    b = Bench(a)
    import report
    if a.render_from:
        with open(a.render_from) as f:
            b.r = unjsonable(json.load(f))
        m0, m1 = b.r['machine']
        a.started = b.r['started']
        d = b.r.get('defaults') or {}
        a.default_block_segments = d.get('block_segments')
        a.default_content_level = d.get('content_level')
        print(report.render(b, m0, m1, b.r.get('finished')), end='')
        return
    machine_start = b.machine()
    sections = ['targets', 'functions', 'core', 'ingest', 'literal', 'lookup', 'batch', 'storage', 'memory', 'blocks', 'interrupts']
    only = [x for x in a.only.split(',') if x]
    b.setup()
    for sec in sections:
        if only and sec not in only:
            continue
        t0 = time.time()
        getattr(b, sec)()
        b.r.setdefault('timing', {})[sec] = time.time() - t0
    machine_end = b.machine()
    b.r['machine'] = [machine_start, machine_end]
    b.r['defaults'] = dict(block_segments=a.default_block_segments, content_level=a.default_content_level)
    b.r['started'] = a.started
    b.r['finished'] = time.time()
    text = report.render(b, machine_start, machine_end, b.r['finished'])
    out = a.out or os.path.join(HERE, 'results',
                                f"{datetime.date.today().isoformat()}-{socket.gethostname()}.md")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w') as f:
        f.write(text)
    # the raw numbers, for re-rendering (--render-from) and inspection
    with open(os.path.splitext(out)[0] + '.json', 'w') as f:
        json.dump(jsonable(b.r), f, indent=1)
    if not a.no_results_copy:
        shutil.copyfile(out, os.path.join(HERE, 'RESULTS.md'))
    log('wrote', out)
    print(text)


if __name__ == '__main__':
    sys.path.insert(0, HERE)
    main()
