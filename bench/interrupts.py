"""interrupts.py -- the "interrupts" section of bench.py: how soon the
extension's long statements end after statement_timeout or pg_cancel_backend.

test/hard/interrupts.sh checks that each statement of test/hard/interrupts.tsv
(long by construction: a million whole-map calls, 10^12 lookups, an endless
binary COPY) ends with 57014 and leaves a working session; it measures no
time.  This measures the delays, on the largest map of the run, with the same
statements and tables (test/hard/interrupts_setup.sql):

  timeout   statement_timeout = TIMEOUT_MS; delay = statement time - TIMEOUT_MS
  cancel    pg_cancel_backend from a second session once the statement has run
            CANCEL_AFTER_S; delay = end of the statement - the cancel call

and, for scale, the time of one repetition (the counts set to 1).  The target
is 100 ms for work inside the extension.  Times are the client's wall clock on
the same machine; the statement and its error travel over a unix socket.
"""
import gzip
import os
import shutil
import subprocess
import threading
import time

HARD = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'test', 'hard')
DB = 'interrupts'
TIMEOUT_MS = 1000
CANCEL_AFTER_S = 0.3
MESSAGES = {'timeout': 'canceling statement due to statement timeout',
            'cancel': 'canceling statement due to user request'}


def workloads():
    """The psql lines run before each statement, and the (name, sql) pairs."""
    prelude, pairs = [], []
    with open(os.path.join(HARD, 'interrupts.tsv')) as f:
        for line in f:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            if '\t' in line:
                pairs.append(tuple(line.split('\t', 1)))
            else:
                prelude.append(line)
    return '\n'.join(prelude), pairs


def setup(bench, log):
    """A database of its own (the private library copy) with the tables."""
    m = bench.largest
    d = os.path.join(bench.a.work, 'interrupts')
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o1777)     # the server writes the binary COPY file here
    gz = os.path.join(d, 'map.json.gz')
    with open(m['file'], 'rb') as src, gzip.open(gz, 'wb') as dst:
        shutil.copyfileobj(src, dst)
    os.chmod(gz, 0o644)
    log(f"interrupts: setup on {m['short']}")
    bench.make_db(DB, bench.lib(), [])
    subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-v', f"json={m['file']}",
                    '-v', f'gz={gz}', '-v', f'dir={d}', '-f', os.path.join(HARD, 'interrupts_setup.sql')],
                   check=True, capture_output=True, text=True)


def ended_with(out, kind):
    return any(MESSAGES[kind] in line for line in out)


def by_timeout(Session, prelude, sql):
    s = Session(DB)
    s.run(prelude + f'\nSET statement_timeout = {TIMEOUT_MS};')
    t0 = time.time()
    out = s.run(f'/* sm_victim */ {sql};', check=False)
    ms = (time.time() - t0) * 1000 - TIMEOUT_MS
    s.close()
    return ms if ended_with(out, 'timeout') else None


def by_cancel(Session, prelude, sql, canceller):
    s = Session(DB)
    s.run(prelude)
    done = {}

    def victim():
        done['out'] = s.run(f'/* sm_victim */ {sql};', check=False)
        done['t'] = time.time()

    th = threading.Thread(target=victim)
    th.start()
    while th.is_alive() and canceller.run(f"SELECT count(*) FROM pg_stat_activity WHERE pid = {s.pid} AND state = 'active' "
                        "AND query LIKE '/* sm_victim */%';")[0] != '1':
        time.sleep(0.01)
    if not th.is_alive():      # it failed before it could be cancelled
        th.join()
        s.close()
        return None
    time.sleep(CANCEL_AFTER_S)
    t0 = time.time()
    canceller.run(f'SELECT pg_cancel_backend({s.pid});')
    th.join()
    s.close()
    return (done['t'] - t0) * 1000 if ended_with(done['out'], 'cancel') else None


def one_repetition(Session, prelude, name, sql):
    """Milliseconds of the statement with its counts set to 1 (None for recv)."""
    if name == 'recv':
        return None
    s = Session(DB)
    s.run(prelude + '\n\\set reps 1\n\\set lookups 1')
    t0 = time.time()
    s.run(f'{sql};')
    ms = (time.time() - t0) * 1000
    s.close()
    return ms


def measure(bench, Session, log, median, shuffled):
    setup(bench, log)
    prelude, pairs = workloads()
    rounds = 1 if bench.quick else 3
    delays, one = {}, {}
    canceller = Session(DB)
    for rnd in range(rounds):
        log(f'interrupts: round {rnd + 1}/{rounds}')
        for name, sql in shuffled(pairs):
            one.setdefault(name, []).append(one_repetition(Session, prelude, name, sql))
            delays.setdefault((name, 'timeout'), []).append(by_timeout(Session, prelude, sql))
            delays.setdefault((name, 'cancel'), []).append(by_cancel(Session, prelude, sql, canceller))
    canceller.close()
    res = {}
    for name, _ in pairs:
        row = dict(one_ms=median(one[name]))
        for kind in MESSAGES:
            xs = delays[(name, kind)]
            ok = [x for x in xs if x is not None]
            row[kind] = dict(median=median(ok), max=max(ok) if ok else None, missed=len(xs) - len(ok))
        res[name] = row
    return dict(map=bench.largest['short'], bytes=bench.largest['bytes'], rounds=rounds,
                timeout_ms=TIMEOUT_MS, cancel_after_s=CANCEL_AFTER_S, queries=dict(pairs), res=res)
