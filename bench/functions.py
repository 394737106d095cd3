"""functions.py -- the "functions" section of bench.py: the per-frame cost of
the symbolication functions of issue 13, side by side in one run, as ratios to
the floor function (bench/floor) and to plain sourcemap_lookup.

  per frame   frames JOIN maps CROSS JOIN LATERAL f(map, line, col) over the
              same random frames (a random sample of the targets section's
              t11_frames, or a table made the same way): the floor, lookup,
              lookup with map_url, lookup_frame, explain, lookup_frames
  stacks      sourcemap_parse_stack over a table of 10-frame V8 stacks and of
              10-frame Hermes stacks, per frame parsed
  urls        sourcemap_url_candidates over a table of frame URLs, per URL
  compose     sourcemap_compose of the vendored chain test/data/compose/jquery
              against ingesting (::sourcemap) the document it produces

Every query runs in a fresh backend with a 1 GB cache, twice: *fresh* (the
maps are opened from storage) and *again* (every map cached: the function's own
work). Interleaved rounds, medians.
"""
import os
import random

from targets import FLOOR, frames_sql

RNG = random.Random(13)
MAP_URL = 'https://cdn.example.com/static/js/app.min.js.map'
CACHE = "SET sourcemap.cache_size = '1GB';"


def lateral(fn, cols, args='m.map, f.line, f.col'):
    return (f'SELECT f.id, {cols} FROM fn_frames f JOIN maps m ON m.id = f.map_id '
            f'CROSS JOIN LATERAL {fn}({args}) p')


POS = 'p.source, p.line, p.col, p.name'
# name -> (query, what one unit is)
QUERIES = {
    'floor': (lateral(FLOOR, POS), 'frame'),
    'lookup': (lateral('sourcemap_lookup', POS), 'frame'),
    'lookup, map_url': (lateral('sourcemap_lookup', POS, f"m.map, f.line, f.col, 'glb', '{MAP_URL}'"), 'frame'),
    'lookup_frame': (lateral('sourcemap_lookup_frame', POS + ', p.function, p.status'), 'frame'),
    'explain': (lateral('sourcemap_explain', 'p.status, p.detail'), 'frame'),
    'lookup_frames': (lateral('sourcemap_lookup_frames', 'p.depth, ' + POS + ', p.function, p.inlined'), 'frame'),
    'parse_stack, V8': ("SELECT p.* FROM fn_stacks s CROSS JOIN LATERAL sourcemap_parse_stack(s.stack) p "
                        "WHERE s.kind = 'v8'", 'stack frame'),
    'parse_stack, Hermes': ("SELECT p.* FROM fn_stacks s CROSS JOIN LATERAL sourcemap_parse_stack(s.stack) p "
                            "WHERE s.kind = 'hermes'", 'stack frame'),
    'url_candidates': ('SELECT u.id, c.* FROM fn_urls u CROSS JOIN LATERAL sourcemap_url_candidates(u.url) c', 'URL'),
    'compose': ('SELECT sourcemap_compose(ARRAY[c.last, c.first]) IS NOT NULL FROM fn_chain c, '
                'generate_series(1, {reps}) g', 'compose'),
    'ingest of the composed map': ('SELECT (c.composed::sourcemap) IS NOT NULL FROM fn_chain c, '
                                   'generate_series(1, {reps}) g', 'compose'),
}
PER_FRAME = ('lookup, map_url', 'lookup_frame', 'explain', 'lookup_frames',
             'parse_stack, V8', 'parse_stack, Hermes', 'url_candidates')

# A V8 stack as a browser prints it for a bundle, 10 frames (line/col vary per row).
V8 = ("TypeError: Cannot read properties of undefined (reading 'id')\n"
      "    at OrderService.validate (https://cdn.example.com/static/js/main.3f9a1c.js:{l}:{c1})\n"
      "    at https://cdn.example.com/static/js/main.3f9a1c.js:{l}:{c2}\n"
      "    at Array.map (<anonymous>)\n"
      "    at OrderService.submit [as onSubmit] (https://cdn.example.com/static/js/main.3f9a1c.js:{l}:{c3})\n"
      "    at async Promise.all (index 0)\n"
      "    at Object.eval [as validate10] (eval at compile (https://cdn.example.com/static/js/vendor.js:2:{c4}), "
      "<anonymous>:3:19)\n"
      "    at HTMLButtonElement.handle (https://cdn.example.com/static/js/vendor.js?v=12:{l}:{c5})\n"
      "    at new Form (https://cdn.example.com/static/js/main.3f9a1c.js:{l}:{c6})\n"
      "    at r (webpack-internal:///./src/app.js:{l}:{c7})\n"
      "    at https://cdn.example.com/static/js/main.3f9a1c.js#frag:{l}:{c8}")
# A React Native release stack from Hermes: bytecode offsets, native frames.
HERMES = ("TypeError: Cannot read property 'z' of undefined\n"
          "    at inner (address at index.android.bundle:1:{c1})\n"
          "    at anonymous (address at index.android.bundle:1:{c2})\n"
          "    at map (native)\n"
          "    at outer (address at index.android.bundle:1:{c3})\n"
          "    at anonymous (JavaScript:1:25)\n"
          "    at onPress (address at index.android.bundle:1:{c4})\n"
          "    at _performTransitionSideEffects (address at index.android.bundle:1:{c5})\n"
          "    at touchableHandleResponderRelease (address at index.android.bundle:1:{c6})\n"
          "    at invokeGuardedCallbackImpl (InternalBytecode.js:1:{c7})\n"
          "    at global (address at index.android.bundle:1:{c8})")
URLS = ('https://cdn.example.com/static/js/main.{h}.js?v={n}#L{n}',
        'https://app.example.com/assets/chunk-{h}.min.js',
        'http://localhost:3000/static/js/bundle.js?t={n}',
        'webpack:///./src/components/Form{n}.tsx',
        'app:///index.android.bundle',
        '/static/js/{h}.js')


def setup(b, Session, log, per_map_total):
    """fn_frames (a random sample of t11_frames), fn_stacks, fn_urls, fn_chain."""
    s = Session(b.db)
    if s.run("SELECT to_regclass('t11_frames') IS NULL;")[0] == 't':
        s.run(frames_sql(max(1, per_map_total // max(1, len(b.maps)) + 1)))
    # t11_frames' ids are a random permutation: the first N are a random sample
    s.run(f'DROP TABLE IF EXISTS fn_frames; CREATE TABLE fn_frames AS SELECT * FROM t11_frames '
          f'WHERE id <= {per_map_total}; VACUUM ANALYZE fn_frames;')
    n = b.p['fn_stacks']
    rows = []
    for kind, tpl in (('v8', V8), ('hermes', HERMES)):
        for i in range(n):
            r = RNG.randrange
            rows.append((kind, tpl.format(l=r(1, 9), **{f'c{k}': r(1, 200000) for k in range(1, 9)})))
    urls = [URLS[i % len(URLS)].format(h=f'{RNG.getrandbits(32):08x}', n=i) for i in range(b.p['fn_urls'])]

    def lit(x):
        return "'" + x.replace("'", "''") + "'"
    s.run('DROP TABLE IF EXISTS fn_stacks, fn_urls, fn_chain; '
          'CREATE TABLE fn_stacks (id serial, kind text, stack text); '
          'CREATE TABLE fn_urls (id serial, url text);')
    for i in range(0, len(rows), 500):
        s.run('INSERT INTO fn_stacks (kind, stack) VALUES '
              + ','.join(f'({lit(k)}, {lit(t)})' for k, t in rows[i:i + 500]) + ';')
    for i in range(0, len(urls), 1000):
        s.run('INSERT INTO fn_urls (url) VALUES ' + ','.join(f'({lit(u)})' for u in urls[i:i + 1000]) + ';')
    # the vendored chain: compose/jquery/0.map (the last stage) then the corpus jquery.min.map
    data = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'test', 'data')
    with open(os.path.join(data, 'compose', 'jquery', 'chain.txt')) as f:
        last, first = (os.path.join(data, x.strip()) for x in f if x.strip())
    s.run(f"\\set j0 `cat '{last}'`")
    s.run(f"\\set j1 `cat '{first}'`")
    s.run("CREATE TABLE fn_chain AS SELECT :'j0'::sourcemap AS last, :'j1'::sourcemap AS first;\n"
          'ALTER TABLE fn_chain ADD composed text;\n'
          'UPDATE fn_chain SET composed = sourcemap_compose(ARRAY[last, first])::text;\n'
          '\\unset j0\n\\unset j1\n'
          'VACUUM ANALYZE fn_stacks; VACUUM ANALYZE fn_urls; VACUUM ANALYZE fn_chain;')
    units = {}
    for k, (q, _) in QUERIES.items():
        if '{reps}' in q:
            units[k] = b.p['fn_compose_reps']
        else:
            # per frame returned for the stacks, per URL, per input frame
            units[k] = int(s.run(f'SELECT count(*) FROM ({q}) x;' if 'parse_stack' in k else
                                 'SELECT count(*) FROM fn_urls;' if k == 'url_candidates' else
                                 'SELECT count(*) FROM fn_frames;')[0])
    units['stacks'] = n
    units['composed_bytes'] = int(s.run('SELECT octet_length(composed) FROM fn_chain;')[0])
    s.close()
    return units


def measure(b, Session, log, median, shuffled, exec_ms):
    p = b.p
    if not has_function(b, Session, FLOOR):
        raise RuntimeError(f'{FLOOR} is missing: bench/run builds bench/floor into the library folder')
    log(f"functions: {p['fn_frames']} frames, {p['fn_stacks']} stacks of each kind, {p['fn_urls']} URLs")
    units = setup(b, Session, log, p['fn_frames'])
    res = {}
    for rnd in range(p['fn_rounds']):
        log(f"functions: round {rnd + 1}/{p['fn_rounds']}")
        for k in shuffled(QUERIES):
            s = Session(b.db)
            s.run(CACHE)
            sql = 'EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ' + QUERIES[k][0].format(reps=p['fn_compose_reps']) + ';'
            fresh = exec_ms(s.run(sql))
            again = exec_ms(s.run(sql))
            s.close()
            res.setdefault(k, []).append((fresh, again))
    return dict(units=units, ms={k: dict(fresh=median([x[0] for x in v]), again=median([x[1] for x in v]))
                                 for k, v in res.items()})


def has_function(b, Session, fn):
    s = Session(b.db)
    n = s.run(f"SELECT count(*) FROM pg_proc WHERE proname = '{fn}';")[0]
    s.close()
    return n != '0'


# ------------------------------------------------------------------ report --

def render(rep, r, b, table):
    f = r.get('functions')
    if not f:
        return
    u, ms = f['units'], f['ms']

    def us(k, when):
        return ms[k][when] * 1000 / u[k]

    def cell(k, base):
        return '  /  '.join(f"{us(k, w) / us(base, w):.2f}×" for w in ('fresh', 'again'))
    rows = []
    for k in ('floor', 'lookup') + PER_FRAME:
        rows.append([f'`{k}`', QUERIES[k][1], f'{u[k]:,}', f"{us(k, 'fresh'):.2f} / {us(k, 'again'):.2f}",
                     cell(k, 'floor'), cell(k, 'lookup')])
    c, i = 'compose', 'ingest of the composed map'
    rows.append(['`compose` (jquery chain, 2 stages)', 'compose', f'{u[c]:,}',
                 f"{us(c, 'fresh'):,.0f} / {us(c, 'again'):,.0f}", '', cell(c, i) + ' of ingest'])
    rows.append(['ingest of its result (`::sourcemap`)', 'compose', f'{u[i]:,}',
                 f"{us(i, 'fresh'):,.0f} / {us(i, 'again'):,.0f}", '', ''])
    rep.p('## Symbolication functions (issue 13)', '',
          f"Per-frame cost of each function over the same {u['lookup']:,} random frames (a random sample of "
          f"the targets' frames, every map), `EXPLAIN (ANALYZE, TIMING OFF)` of `frames JOIN maps CROSS JOIN "
          f"LATERAL f(map, line, col)`; `lookup, map_url` resolves the source against `'{MAP_URL}'`. "
          f"`parse_stack`: {u['stacks']:,} 10-line stacks of each kind (V8 from a browser bundle, with eval, async "
          "and native frames; Hermes from a React Native release build, bytecode offsets), per frame returned. "
          f"`url_candidates`: per URL, {b.p['fn_urls']:,} URLs of six shapes. `compose`: "
          f"`sourcemap_compose` of `test/data/compose/jquery` ({u['composed_bytes'] / 1e3:,.0f} KB result), "
          'against `::sourcemap` of the JSON it produces, per call. Each query in a fresh backend with '
          '`sourcemap.cache_size = 1GB`, run twice: *fresh* opens the maps, *again* has them all cached (the '
          f"function's own work). {b.p['fn_rounds']} interleaved rounds, medians; cells are fresh / again.", '',
          table(['function', 'unit', 'units', 'µs per unit', '/ floor', '/ lookup'], rows,
                ['l', 'l', 'r', 'r', 'r', 'r']), '')

