"""report.py -- render bench.py's results as Markdown (bench/results/*.md, bench/RESULTS.md)."""
import datetime
import time

MB = 1e6


def f1(x, nd=1):
    return '–' if x is None else f'{x:,.{nd}f}'


def ratio(a, b, nd=2):
    if a is None or b is None or b == 0:
        return '–'
    return f'{a / b:.{nd}f}×'


def mb(x, nd=1):
    return '–' if x is None else f'{x / MB:,.{nd}f}'


def table(head, rows, align=None):
    align = align or ['l'] + ['r'] * (len(head) - 1)
    out = ['| ' + ' | '.join(head) + ' |',
           '|' + '|'.join(':---' if a == 'l' else '---:' for a in align) + '|']
    for r in rows:
        out.append('| ' + ' | '.join(str(c) for c in r) + ' |')
    return '\n'.join(out)


def verdict(ok):
    return '**holds**' if ok else '**misses**'


class R:
    def __init__(self, b, m0, m1, finished=None):
        self.b, self.r, self.m0, self.m1 = b, b.r, m0, m1
        self.finished = finished or time.time()
        self.out = []
        self.targets = []

    def p(self, *lines):
        self.out.extend(lines)

    # -------------------------------------------------------------- head --
    def head(self):
        b, m0, m1 = self.b, self.m0, self.m1
        probe = (self.r.get('core') or {}).get('probe')
        pg = self.r['setup']['pg_version'].split(' on ')[0]
        dur = (self.finished - b.a.started) / 60
        day = datetime.date.fromtimestamp(self.finished).isoformat()
        self.p(f"# sourcemap benchmark: {day}, {m0['host']}", '',
               f"- **Machine**: {m0['nproc']} cores ({m0['cpu']}), {m0['ram_gb']:.1f} GB RAM, Linux {m0['kernel']}; "
               f"{pg}; node {m0['node']}.",
               f"- **Load** (other engineers' fuzzers and tests share the machine): load average "
               f"{m0['load'][0]:.1f} at the start, {m1['load'][0]:.1f} at the end. Absolute times are noisy: "
               f"compare the ratios, which come from interleaved repetitions in the same run.")
        if probe:
            self.p(f"- **Page faults** are expensive on this VM: touching fresh memory costs "
                   f"{float(probe['first_touch_us_per_page']):.1f} µs per 4 KB page "
                   f"(~{float(probe['first_touch_us_per_page']) / 4.096:.0f} ms per MB), "
                   f"reused memory {float(probe['reuse_us_per_page']) * 1000:.0f} ns per page.")
        ran = set(self.r.get('timing') or {})
        mode = (' --targets' if ran and ran <= {'targets', 'functions'} else '') + (' --quick' if b.quick else '')
        self.p(f"- **Command**: `bash bench/run{mode}` at commit {m0['commit']}; "
               f"{dur:.0f} minutes. Corpus: {len(b.maps)} real maps from npm, "
               f"{sum(m['bytes'] for m in b.maps) / MB:.1f} MB of JSON.", '')

    # ----------------------------------------------------------- targets --
    def target(self, name, measured, ok):
        self.targets.append((name, measured, '–' if ok is None else verdict(ok)))

    def targets_table(self):
        self.p('## Performance targets', '',
               table(['target', 'measured (medians, this run)', ''], self.targets, ['l', 'l', 'l']), '')

    # ------------------------------------------------------------ ingest --
    def ingest(self):
        ing, lit = self.r.get('ingest'), self.r.get('literal')
        if not ing:
            return
        b = self.b
        rows = []
        worst = None
        for m in sorted(b.maps, key=lambda m: -m['bytes']):
            i = m['id']
            sm, tx, jb, rd = (ing.get((i, t)) for t in ('sourcemap', 'text', 'jsonb', 'read'))
            r = [m['short'], mb(m['bytes']), f1(sm['ms']), f1(tx['ms']), f1(jb['ms']),
                 ratio(sm['ms'], tx['ms']), ratio(sm['ms'], jb['ms']),
                 f"{f1(sm['cpu_ms'])} / {f1(tx['cpu_ms'])} / {f1(jb['cpu_ms'])}", f1(rd['ms']) if rd else '–']
            if lit:
                ls, lt, lj = (lit.get((i, t)) for t in ('sourcemap', 'text', 'jsonb'))
                r += [f"{f1(ls['ms'])} / {f1(lt['ms'])} / {f1(lj['ms'])}", ratio(ls['ms'], lt['ms'])]
            rows.append(r)
            if m['bytes'] >= 1_000_000:
                q, qc = sm['ms'] / tx['ms'], sm['cpu_ms'] / tx['cpu_ms']
                if worst is None or q > worst[0]:
                    worst = (q, m['short'], worst[2] if worst else None)
                if worst[2] is None or qc > worst[2][0]:
                    worst = (worst[0], worst[1], (qc, m['short']))
        head = ['map', 'MB', 'sourcemap ms', 'text ms', 'jsonb ms', 'sm / text', 'sm / jsonb',
                'backend CPU ms sm / text / jsonb', 'read JSON ms']
        if lit:
            head += ['literal sm / text / jsonb ms', 'literal sm / text']
        self.p('## Ingest', '',
               'Server side: `EXPLAIN (ANALYZE, TIMING OFF) INSERT INTO t SELECT id, doc::T FROM raw WHERE id = k` '
               'for T = sourcemap, text, jsonb, each into its own table `(id int, v T)`, from a staging table whose '
               '`doc text` column is stored uncompressed (`STORAGE EXTERNAL`). The execution time covers reading the '
               'staged JSON, the conversion, compression (pglz for text and jsonb, the type\'s own for sourcemap) and '
               'the TOAST writes, and nothing of the client, the parser or the commit; *read JSON* is '
               '`SELECT length(doc)` alone, which all three pay. Backend CPU is the backend\'s own CPU time '
               '(`/proc/<pid>/schedstat`) over the statement. Literal: psql `\\set json \\`cat file\\`` then '
               '`INSERT ... VALUES (k, :\'json\')` with `\\timing` (client send, SQL lexing of the literal, '
               'conversion, storage, commit).'
               f" {ing[(b.maps[0]['id'], 'sourcemap')]['n']} interleaved repetitions, medians, one warm backend.", '',
               table(head, rows), '')
        if worst:
            big = [m for m in b.maps if m['bytes'] >= 1_000_000]
            over = sum(1 for m in big if ing[(m['id'], 'sourcemap')]['ms'] > ing[(m['id'], 'text')]['ms'])
            self.target('Ingest: `::sourcemap` no slower than `text`, every map ≥ 1 MB',
                        f'server side, worst sm / text: {worst[0]:.2f}× wall ({worst[1]}), {worst[2][0]:.2f}× '
                        f'backend CPU ({worst[2][1]}); slower than text on {over} of {len(big)} maps ≥ 1 MB',
                        worst[0] <= 1.0 and worst[2][0] <= 1.0)

    # -------------------------------------------------------------- core --
    def core(self):
        c = self.r.get('core')
        if not c:
            return
        b, agg, node = self.b, c['agg'], c['node']
        rows = []
        for m in sorted(b.maps, key=lambda m: -m['bytes']):
            nc, df = agg.get(('nocomp', m['path'])), agg.get(('default', m['path']))
            nd = node.get(m['path'])
            if not nc or not df:
                continue
            rows.append([m['short'], mb(m['bytes']), f"{f1(nc['mb_s'], 0)} / {f1(nc['mb_s_cpu'], 0)}",
                         f"{f1(df['mb_s'], 0)} / {f1(df['mb_s_cpu'], 0)}",
                         f"{f1(nc['build_ms'])} / {f1(nc['first_ms'])}",
                         f"{f1(nd['tm_ms'])} / {f1(nd['tm_cpu_ms'])}" if nd else '–',
                         f1(nd['json_ms']) if nd else '–',
                         ratio(nd['tm_ms'], nc['build_ms'], 1) if nd else '–',
                         ratio(nd['tm_cpu_ms'], nc['build_cpu_ms'], 1) if nd else '–',
                         f"{df['peak_alloc_bytes'] / m['bytes']:.2f}×"])
        tot_b = sum(m['bytes'] for m in b.maps)
        tot = lambda v, k: sum((agg.get((v, m['path'])) or {}).get(k) or 0 for m in b.maps)
        rows.append(['**all maps**', mb(tot_b),
                     f"{tot_b / MB / (tot('nocomp', 'build_ms') / 1e3):.0f} / {tot_b / MB / (tot('nocomp', 'build_cpu_ms') / 1e3):.0f}",
                     f"{tot_b / MB / (tot('default', 'build_ms') / 1e3):.0f} / {tot_b / MB / (tot('default', 'build_cpu_ms') / 1e3):.0f}",
                     '', '', '', '', '', ''])
        self.p('## Parse outside PostgreSQL: the core vs trace-mapping', '',
               '`bench/core_bench` (src/core linked with zlib, no PostgreSQL): `sm_build()` = parse + validate + decode '
               '+ encode, from the JSON in memory to the stored bytes. *No compression* is the build with '
               '`-DSM_BLOCK_ZLEVEL=0 -DSM_CONTENT_ZLEVEL=0` (parse + validate + decode + layout), *default* the '
               'shipped build. MB/s = JSON bytes / time, wall / CPU (process CPU time, which does not count time '
               'lost to other processes); the build reuses its memory (steady state); *first* is the first build '
               'in a fresh process, which pays the page faults of fresh memory. trace-mapping = '
               '`new TraceMap(text)` + `decodedMappings()` in node, as the oracle\'s bench.mjs times it '
               '(wall / CPU; node\'s CPU includes its GC threads). Medians of '
               f'{b.p["core_reps"]} interleaved processes × {b.p["core_build_reps"]} builds.', '',
               table(['map', 'MB', 'no compression MB/s wall / CPU', 'default MB/s wall / CPU',
                      'no-compr. ms: steady / first', 'trace-mapping ms wall / CPU', 'JSON.parse ms',
                      'tm / core (wall)', 'tm / core (CPU)', 'core peak memory / JSON'], rows), '')
        bab = next((m for m in b.maps if m['path'].endswith('babylon.js.map')), b.largest)
        nc, nd = agg.get(('nocomp', bab['path'])), node.get(bab['path'])
        big = [m for m in b.maps if m['bytes'] >= 1_000_000 and agg.get(('nocomp', m['path']))]
        if nc:
            worst = min(big, key=lambda m: agg[('nocomp', m['path'])]['mb_s_cpu']) if big else bab
            w = agg[('nocomp', worst['path'])]
            self.target('Core parse + validate + decode ≥ 400 MB/s',
                        f"{bab['short']}: {nc['mb_s']:.0f} MB/s wall, {nc['mb_s_cpu']:.0f} MB/s CPU; "
                        f"slowest map ≥ 1 MB: {worst['short']} {w['mb_s_cpu']:.0f} MB/s CPU",
                        nc['mb_s_cpu'] >= 400 and w['mb_s_cpu'] >= 400)
        if nc and nd:
            rs = [(node[m['path']]['tm_ms'] / agg[('nocomp', m['path'])]['build_ms'], m['short'])
                  for m in big if m['path'] in node]
            wr = min(rs) if rs else (None, '')
            self.target('Core ≥ 3× faster than trace-mapping\'s parse',
                        f"{bab['short']}: {nd['tm_ms'] / nc['build_ms']:.1f}× (wall; "
                        f"{nd['tm_cpu_ms'] / nc['build_cpu_ms']:.1f}× CPU); lowest map ≥ 1 MB: {wr[1]} {wr[0]:.1f}× wall",
                        nd['tm_ms'] / nc['build_ms'] >= 3 and (wr[0] or 0) >= 3)
        self.zlib()

    def zlib(self):
        c = self.r['core']
        agg, b = c['agg'], self.b
        levels = sorted({k[0] for k in agg if k[0][:1] == 'c' and k[0][1:].isdigit()}, key=lambda v: int(v[1:]))
        if len(levels) < 2:
            return
        dl = self.b.a.default_content_level
        rows = []
        totals = {v: [0, 0, 0] for v in levels + ['default', 'b1', 'nocomp', 'c0']}
        for m in sorted(b.maps, key=lambda m: -m['bytes']):
            base = agg.get(('c0', m['path']))
            if not base:
                continue
            raw = base['content_bytes']
            r = [m['short'], mb(raw)]
            for v in levels:
                d = agg.get((v, m['path']))
                r.append(f"{f1(d['build_cpu_ms'])} / {mb(d['content_bytes'], 2)}")
            rows.append(r)
            for v in totals:
                d = agg.get((v, m['path']))
                if d:
                    totals[v][0] += d['build_cpu_ms']
                    totals[v][1] += d['content_bytes']
                    totals[v][2] += d['stored_bytes']
        raw = totals['c0'][1]
        r = ['**all maps**', mb(raw)]
        for v in levels:
            r.append(f"**{f1(totals[v][0])} / {mb(totals[v][1], 2)}**")
        rows.append(r)
        r2 = ['content compression speed', '']
        for v in levels:
            extra = totals[v][0] - totals['c0'][0]
            r2.append('–' if v == 'c0' or extra <= 0 else f"{raw / MB / (extra / 1e3):.0f} MB/s, "
                      f"{totals[v][1] / raw * 100:.0f}% of raw")
        rows.append(r2)
        self.p('### zlib level for `sourcesContent`', '',
               f"Same builds with `-DSM_CONTENT_ZLEVEL={'/'.join(v[1:] for v in levels)}` (mapping blocks and strings "
               'at their default). '
               'Cells: build CPU ms / stored content MB. The speed row is raw content MB per second of extra CPU '
               'over level 0.', '',
               table(['map', 'content MB (raw)'] + [f"level {v[1:]}" + (' (default)' if int(v[1:]) == dl else '')
                                                    for v in levels], rows), '')
        if totals['b1'][0] and totals['default'][0]:
            self.p(f"Mapping blocks and string chunks at zlib level 1 instead of the default (variant `b1`): all maps build in "
                   f"{f1(totals['b1'][0])} ms CPU vs {f1(totals['default'][0])} ms, stored "
                   f"{mb(totals['b1'][2])} MB vs {mb(totals['default'][2])} MB. With no compression at all: "
                   f"{f1(totals['nocomp'][0])} ms, {mb(totals['nocomp'][2])} MB.", '')

    # ------------------------------------------------------------ lookup --
    def lookup(self):
        lk = self.r.get('lookup')
        if not lk:
            return
        b = self.b
        core = (self.r.get('core') or {}).get('agg', {})
        diag = self.r.get('lookup_diag') or {}
        rows, drows = [], []
        for m in b.lookup_maps():
            i = m['id']
            fl, wa, co = lk.get((i, 'floor')), lk.get((i, 'warm')), lk.get((i, 'cold'))
            sl = lk.get((i, 'slice')) or {}
            cd = core.get(('default', m['path']), {})
            rr = co.get('round_ratio') or []
            rows.append([m['short'], mb(m['bytes']), f1(fl['us']), f1(sl.get('us')), f1(wa['us']), f1(co['us']),
                         f"{sl['ratio']:.2f}×" if sl.get('ratio') else '–',
                         f"{wa['ratio']:.2f}×", f"{co['ratio']:.2f}×",
                         f"{min(rr):.2f}–{max(rr):.2f}×" if rr else '–',
                         f1(cd.get('cold_us'), 1), f1((cd.get('cold_bytes') or 0) / 1e3, 1),
                         f1(cd.get('warm_ns'), 0)])
            if diag:
                dd = [diag.get((i, k)) or {} for k in ('floor', 'warm', 'cold')]
                drows.append([m['short']] + [' / '.join(f1(d.get(f), 1) for d in dd) for f in ('cpu_us', 'faults')])
        self.p('## Single lookup latency', '',
               '`pgbench -M prepared -c 1 -T ' + str(b.p['lookup_secs']) + '`, one statement per transaction, '
               f"{b.p['lookup_rounds']} interleaved rounds of floor / warm / cold per map; medians of all "
               'transactions (`pgbench -l`). Floor: `SELECT id FROM maps WHERE id = $1`. Lookup: '
               '`SELECT sourcemap_lookup(map, $2::int, $3::int) FROM maps WHERE id = $1` at '
               f"{b.p['lookup_positions']} random segment positions of the map (one script each, from "
               '`sourcemap_tokens`). Warm: default `sourcemap.cache_size`; cold: `PGOPTIONS=\'-c sourcemap.cache_size=0\'`, '
               'so every lookup reads its slices of the TOASTed value. *Slice* is the floor plus one TOAST slice read, '
               'the least any lookup on an out-of-line value that re-checks it must pay: '
               '`SELECT substr(doc, 1, 8) FROM raw WHERE id = $1` on the staged JSON (stored uncompressed out of line). '
               'The last three columns are the core '
               'alone, in memory (core_bench, CPU time): a cold open + lookup + strings, the bytes it reads, and a '
               'warm lookup.', '',
               table(['map', 'MB', 'floor µs', 'slice µs', 'warm µs', 'cold µs', 'slice / floor', 'warm / floor', 'cold / floor',
                      'cold / floor per round', 'core cold µs', 'core cold KB read', 'core warm ns'], rows), '')
        if drows:
            self.p('Where the time goes: the same 100 statements run one by one from psql in one backend '
                   '(simple protocol, so parsing and planning are included; after one untimed pass; median of 3 '
                   'interleaved rounds), with the backend\'s CPU time (`/proc/<pid>/schedstat`) and minor '
                   'page faults (`/proc/<pid>/stat`) per statement. A page fault costs tens of µs on this VM (see '
                   'the top), so faults per statement are what separate a cold lookup from the floor here.', '',
                   table(['map', 'backend CPU µs / statement: floor / warm / cold',
                          'minor page faults / statement: floor / warm / cold'], drows), '')
        bab = next((m for m in b.lookup_maps() if m['path'].endswith('babylon.js.map')), None)
        if bab:
            co, wa = lk[(bab['id'], 'cold')], lk[(bab['id'], 'warm')]
            self.target('Single lookup on babylon (30.9 MB): cold ≤ 1.5× floor',
                        f"{co['ratio']:.2f}× ({co['us']:.0f} µs vs {lk[(bab['id'], 'floor')]['us']:.0f} µs)",
                        co['ratio'] <= 1.5)
            self.target('Single lookup on babylon: warm ≤ 1.1× floor',
                        f"{wa['ratio']:.2f}× ({wa['us']:.0f} µs)", wa['ratio'] <= 1.1)

    # ------------------------------------------------------------- batch --
    def batch(self):
        bt = self.r.get('batch')
        if not bt:
            return
        res, n = bt['res'], bt['frames']
        bare = res['bare join']
        abare = res.get('arrays, bare (unnest)')
        rows = []
        rate = lambda ms: None if not ms else n / (ms / 1e3) / 1e6
        for name in bt['queries']:
            d = res.get(name)
            if not d:
                continue
            sbare = res.get('bare join, frames sorted')
            base = (abare if name.startswith('arrays') and abare else
                    sbare if 'sorted' in name and sbare else None)
            hits, misses, ev, ent, by = bt['stats'][name].split('|')
            rows.append([name,
                         f"{f1(d['ms'])} / {f1(d['ms2'])}", f"{f1(d['cpu_ms'])} / {f1(d['cpu_ms2'])}",
                         f"{f1(rate(d['ms']), 2)} / {f1(rate(d['ms2']), 2)} M",
                         f"{ratio(d['ms'], bare['ms'])} / {ratio(d['ms2'], bare['ms2'])}",
                         f"{ratio(d['ms'], base['ms'])} / {ratio(d['ms2'], base['ms2'])}" if base else '',
                         f"{hits} / {misses} / {ev} / {int(by) / MB:.1f} MB" if 'lookup' in name else ''])
        self.p('## Batch: re-symbolicating a frames table', '',
               f"{n:,} frames at random segment positions (column + 0..2) over the {len(self.b.maps)} maps (map "
               'chosen uniformly), in random order, one query, one core (no parallel workers), '
               '`EXPLAIN (ANALYZE, TIMING OFF)` (so no rows go to the client). Each query runs in a fresh backend '
               '(*first*: the cache starts empty and the backend\'s memory is fresh) and then once more in the same '
               f"backend (*again*: maps and blocks already decoded; skipped when the first run took more than "
               f"{self.b.p['batch_again_max_ms'] / 1e3:.0f} s). Medians of {self.b.p['batch_reps']} interleaved "
               'runs. Cache: hits / misses / evictions / memory after the first run. *1 GB cache* is the LATERAL '
               'query after `SET sourcemap.cache_size = \'1GB\'` (the default is 64 MB); *frames sorted* feeds the '
               'join in (map, line, column) order, compared with the bare join on the same sorted input '
               '(the verdicts below use the unsorted forms at the default settings).', '',
               '```sql')
        for name, q in bt['queries'].items():
            self.p(f'-- {name}', q + ';')
        self.p('```', '',
               table(['query', 'ms first / again', 'backend CPU ms first / again', 'frames/s first / again',
                      'vs bare join', 'vs its bare form (arrays / sorted)', 'cache'], rows), '')
        # default settings only for the verdict (the 1 GB cache row is a diagnosis)
        forms = [k for k in res if 'lookup' in k and 'GB' not in k and 'sorted' not in k]
        lat = res['lateral lookup']
        best = min(forms, key=lambda k: res[k]['ms'])
        f2 = [k for k in forms if res[k]['ms2']]
        best2 = min(f2, key=lambda k: res[k]['ms2']) if f2 else None
        again = (f", again {best2} {rate(res[best2]['ms2']):.2f} M/s" if best2 else '')
        self.target('Batch: ≥ 2,000,000 frames/s on one core',
                    f"LATERAL join {rate(lat['ms']):.2f} M/s; fastest form: {best} {rate(res[best]['ms']):.2f} M/s"
                    + again, max(rate(res[best]['ms']), rate(res[best2]['ms2']) if best2 else 0) >= 2)
        self.target('Batch: ≤ 4× the same join without lookups',
                    f"LATERAL {lat['ms'] / bare['ms']:.2f}×; {best} {res[best]['ms'] / bare['ms']:.2f}×"
                    + (f", again {best2} {res[best2]['ms2'] / bare['ms2']:.2f}×" if best2 else ''),
                    min(res[best]['ms'] / bare['ms'], res[best2]['ms2'] / bare['ms2'] if best2 else 99) <= 4)

    # ----------------------------------------------------------- storage --
    def storage(self):
        st = self.r.get('storage')
        if not st:
            return
        b = self.b
        rows, flagged = [], []
        tot = dict(json=0, sourcemap=0, text=0, jsonb=0, zlib6=0)
        for m in sorted(b.maps, key=lambda m: -m['bytes']):
            d = st[m['id']]
            flag = '**≥ text**' if d['sourcemap'] >= d['text'] else ''
            if flag:
                flagged.append(m['short'])
            rows.append([m['short'], mb(m['bytes'], 2), mb(d['sourcemap'], 2), mb(d['text'], 2), mb(d['jsonb'], 2),
                         mb(d['zlib6'], 2), ratio(d['sourcemap'], d['text']), ratio(d['sourcemap'], d['zlib6']),
                         ratio(d['sourcemap'], m['bytes']), flag])
            tot['json'] += m['bytes']
            for k in ('sourcemap', 'text', 'jsonb', 'zlib6'):
                tot[k] += d[k]
        rows.append(['**all maps**', mb(tot['json'], 2), mb(tot['sourcemap'], 2), mb(tot['text'], 2),
                     mb(tot['jsonb'], 2), mb(tot['zlib6'], 2), ratio(tot['sourcemap'], tot['text']),
                     ratio(tot['sourcemap'], tot['zlib6']), ratio(tot['sourcemap'], tot['json']), ''])
        self.p('## Stored size', '',
               '`pg_column_size` of each map stored as `sourcemap` (STORAGE external, compressed by the type), '
               '`text` and `jsonb` (default storage: pglz), and the whole JSON file compressed by zlib level 6 '
               '(python3 `zlib.compress(doc, 6)`). MB = 10⁶ bytes.', '',
               table(['map', 'JSON MB', 'sourcemap MB', 'text MB', 'jsonb MB', 'zlib -6 MB', 'sm / text',
                      'sm / zlib', 'sm / JSON', ''], rows), '')
        self.target('Storage ≤ text for every map; ratio to zlib',
                    (f"{len(flagged)} map(s) ≥ text: {', '.join(flagged)}; " if flagged else 'every map below text; ')
                    + f"all maps: {tot['sourcemap'] / tot['text']:.2f}× text, "
                      f"{tot['sourcemap'] / tot['zlib6']:.2f}× zlib -6", not flagged)

    # ------------------------------------------------------------ memory --
    def memory(self):
        mm = self.r.get('memory')
        if not mm:
            return
        m = self.b.by_id[mm['map']]
        js = m['bytes']
        rows = []
        for t in ('sourcemap', 'text', 'jsonb'):
            for how in ('staged', 'literal'):
                d = mm['res'].get((t, how))
                if not d:
                    continue
                rows.append([t, how, f1(d['hwm_kb'] * 1024 / MB), f"{d['hwm_kb'] * 1024 / js:.2f}×",
                             f1(d['anon_kb'] * 1024 / MB), f"{d['anon_kb'] * 1024 / js:.2f}×",
                             f1(d['shmem_kb'] * 1024 / MB)])
        nr = (self.r.get('core') or {}).get('node_rss')
        self.p(f"## Peak backend memory during ingest of the largest map ({m['short']}, {mb(js)} MB)", '',
               'A fresh backend per measurement; *VmHWM* = the backend\'s peak resident set (`/proc/<pid>/status`) '
               'after the INSERT minus before it (library loaded, same statement kinds run once). VmHWM counts the '
               'shared buffers the backend touches too, so the private part is also shown: *RssAnon*, sampled every '
               'millisecond during the INSERT, peak minus start. *staged* = `INSERT ... SELECT doc::T FROM raw`, '
               '*literal* = `INSERT ... VALUES (k, :\'json\')` sent by psql (the query text is then in the backend '
               f"too). Medians of {self.b.p['memory_reps']}.", '',
               table(['type', 'path', 'VmHWM +MB', '× JSON', 'RssAnon peak +MB', '× JSON', 'RssShmem peak +MB'],
                     rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r']), '')
        if nr:
            self.p(f"trace-mapping, for comparison: node's peak RSS grows by "
                   f"{(nr['peak_kb'] - nr['before_kb']) * 1024 / MB:.0f} MB "
                   f"({(nr['peak_kb'] - nr['before_kb']) * 1024 / js:.1f}× the JSON) while parsing the same map "
                   'from a string already in memory.', '')
        d = mm['res'].get(('sourcemap', 'staged'))
        dl = mm['res'].get(('sourcemap', 'literal'))
        if d:
            self.target('Memory: peak backend memory during ingest ≤ 2× JSON (private memory, staged INSERT)',
                        f"staged: {d['hwm_kb'] * 1024 / js:.2f}× (VmHWM), {d['anon_kb'] * 1024 / js:.2f}× private"
                        + (f"; literal: {dl['hwm_kb'] * 1024 / js:.2f}× / {dl['anon_kb'] * 1024 / js:.2f}×" if dl else ''),
                        d['anon_kb'] * 1024 / js <= 2)

    # ------------------------------------------------------------ blocks --
    def blocks(self):
        core = (self.r.get('core') or {}).get('agg', {})
        bl = self.r.get('blocks')
        b = self.b
        dbs = b.a.default_block_segments or 256
        sizes = sorted({int(v[2:]) for (v, _) in core if v.startswith('bs')} | ({dbs} if core else set()))
        if not sizes:
            return
        maps = [m for m in b.big if ('bs' + str(sizes[0]), m['path']) in core]
        named = [m for m in maps if m['path'].endswith(('babylon.js.map', 'babel.js.map'))] or maps[:2]
        rows = []
        for n in sizes:
            v = 'default' if n == dbs else f'bs{n}'
            ds = [core.get((v, m['path'])) for m in maps]
            if any(d is None for d in ds):
                continue
            r = [str(n) + (' (default)' if n == dbs else ''), mb(sum(d['stored_bytes'] for d in ds)),
                 mb(sum(d['blocks_bytes'] for d in ds))]
            for m in named:
                d = core[(v, m['path'])]
                r.append(f"{f1(d['cold_us'], 1)} / {f1(d['cold_bytes'] / 1e3, 0)} / {f1(d['warm_ns'] / 1e3, 2)}")
            if bl and n in bl['sizes']:
                for i in bl['maps']:
                    lat = bl['lat']
                    c, w = lat.get(((n, i), 'cold')), lat.get(((n, i), 'warm'))
                    r.append(f"{f1(c['us'], 0)} µs {c['ratio']:.2f}× / {f1(w['us'], 0)} µs {w['ratio']:.2f}× / "
                             f"{mb(bl['size'][(n, i)], 2)}")
            elif bl:
                r += ['–'] * len(bl['maps'])
            rows.append(r)
        head = ['segments per block', f"stored MB ({len(maps)} maps ≥ 5 MB)", 'of which blocks + index MB']
        head += [f"{m['short']}: core cold µs / KB read / warm µs" for m in named]
        if bl:
            head += [f"{b.by_id[i]['short']} in PG: cold / warm (× floor) / stored MB" for i in bl['maps']]
        self.p('## Block size: stored size against lookup cost', '',
               '`SM_BLOCK_SEGMENTS` (segments per mapping block) for each value, everything else at its default. '
               'Core columns from core_bench (CPU time, in memory): a cold open + lookup + strings, the bytes a cold '
               'lookup reads, a warm lookup with a 32 MB block cache. PostgreSQL columns: the same pgbench '
               'lookups as above, against a copy of the library built with that block size, in a database of its '
               f"own (median of {b.p['block_rounds']} interleaved rounds × {b.p['block_secs']} s).", '',
               table(head, rows), '')

    def interrupts(self):
        it = self.r.get('interrupts')
        if not it:
            return
        rows, worst = [], 0
        for name, d in it['res'].items():
            cells = []
            for kind in ('timeout', 'cancel'):
                k = d[kind]
                worst = max(worst, k['max'] or 0)
                cells.append(f"{f1(k['median'], 0)} / {f1(k['max'], 0)}" + (f" ({k['missed']} missed)" if k['missed'] else ''))
            rows.append([name, f1(d['one_ms'], 1)] + cells)
        missed = sum(d[k]['missed'] for d in it['res'].values() for k in ('timeout', 'cancel'))
        self.p('## Interrupts: how soon a long statement ends', '',
               f"The statements of `test/hard/interrupts.tsv` on {it['map']} ({mb(it['bytes'])} MB), each long by "
               'construction (a million whole-map calls, 10^12 lookups, an endless binary `COPY`); '
               '`test/hard/interrupts.sh` checks that they end with 57014 and leave a working session, this measures '
               f"how soon. *timeout*: `statement_timeout = {it['timeout_ms']}`, the statement's time minus the "
               f"timeout; *cancel*: `pg_cancel_backend` from a second session {it['cancel_after_s']} s after the "
               'statement shows as active, the time from the call to the end of the statement. *One repetition*: the '
               'statement with its counts set to 1 (what the delay would be if only the executor, between calls, '
               f"looked at interrupts). Median / max of {it['rounds']} interleaved rounds, fresh backends, "
               'wall clock; the target is 100 ms.', '',
               table(['statement', 'one repetition ms', 'after timeout ms', 'after cancel ms'], rows), '',
               f"Worst delay {worst:.0f} ms: target {verdict(worst <= 100 and not missed)}"
               + (f"; {missed} runs did not end with the expected error" if missed else '') + '.', '')

    def timing(self):
        t = self.r.get('timing') or {}
        self.p('<sub>Time per section: ' + ', '.join(f'{k} {v / 60:.1f} min' for k, v in t.items()) + '.</sub>', '')


def render(b, m0, m1, finished=None):
    r = R(b, m0, m1, finished)
    r.head()
    import targets
    targets.render(r, r.r, b, table, verdict)
    import functions
    functions.render(r, r.r, b, table)
    body = R(b, m0, m1, finished)
    body.targets = r.targets
    for sec in ('ingest', 'core', 'lookup', 'batch', 'storage', 'memory', 'blocks', 'interrupts', 'timing'):
        getattr(body, sec)()
    if r.targets:
        r.targets_table()
    return '\n'.join(r.out + body.out) + '\n'
