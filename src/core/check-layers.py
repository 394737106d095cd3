#!/usr/bin/env python3
"""check-layers.py -- hold the core (src/core) to its one rule: a file uses only
its own layer and the layers below (README.md in this folder).

    python3 src/core/check-layers.py [ROOT]        (ROOT: the repository, default ..)

Checks, each failure printed as "file: what", exit status 1 if any:
  1. every .c and .h file of the core is in a layer folder of core.mk's
     CORE_LAYERS (only the public header sm_core.h sits above them);
  2. every #include "..." of a core file names a header with its layer
     ("format/sm_map.h"), of the file's own layer or one below; none includes
     sm_core.h;
  3. the glue (src/pg) includes the core through sm_core.h only;
  4. calls: each core file is compiled (cc -c) and the functions it calls in
     other core files are read with nm; every call goes to the same layer or
     one below, and the file-level call graph has no cycle;
  5. every prefix of the layer stack links on its own (cc -shared with
     --no-undefined, core.mk's CORE_LIBS and libc only): base; base and json; ... so the
     reader (format/) can be used and tested without the JSON parser or the
     JavaScript scanner.
  6. the glue (src/pg) has no call cycle between its files either (compiled
     with pg_config's server headers; skipped without pg_config).
  Checks 4 to 6 are skipped with a message when cc or nm is missing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), "..", ".."))
core = os.path.join(root, "src", "core")
problems = []

mk = open(os.path.join(core, "core.mk")).read()
layers = re.search(r"^CORE_LAYERS\s*:?=\s*(.+)$", mk, re.M).group(1).split()
rank = {name: i for i, name in enumerate(layers)}
libs = re.search(r"^CORE_LIBS\s*:?=\s*(.+)$", mk, re.M).group(1).split()

# 1. every source file in a layer folder
files = []
for d, _, names in os.walk(core):
    for n in names:
        rel = os.path.relpath(os.path.join(d, n), core)
        if not n.endswith((".c", ".h")) or rel == "sm_core.h":
            continue
        layer = rel.split(os.sep)[0] if os.sep in rel else None
        if layer not in rank or rel.count(os.sep) != 1:
            problems.append(f"src/core/{rel}: not in a layer folder ({' '.join(layers)})")
        else:
            files.append((rel, layer))
files.sort()

# 2. includes of the core's own files
inc_re = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
for rel, layer in files:
    for inc in inc_re.findall(open(os.path.join(core, rel)).read()):
        target = inc.split("/")[0] if "/" in inc else None
        if inc == "sm_core.h":
            problems.append(f"src/core/{rel}: includes the public header sm_core.h")
        elif target not in rank:
            problems.append(f'src/core/{rel}: #include "{inc}" does not name its layer')
        elif rank[target] > rank[layer]:
            problems.append(f'src/core/{rel}: #include "{inc}": layer {target} is above {layer}')

# 3. the glue sees the core through sm_core.h
glue = os.path.join(root, "src", "pg")
core_names = {os.path.basename(rel) for rel, _ in files}
for n in sorted(os.listdir(glue)):
    if n.endswith((".c", ".h")):
        for inc in inc_re.findall(open(os.path.join(glue, n)).read()):
            if inc.split("/")[0] in rank or os.path.basename(inc) in core_names:
                problems.append(f'src/pg/{n}: #include "{inc}": the glue includes sm_core.h only')

# 4. calls between files, from the compiled objects


def call_graph(srcdir, names, flags, tmp, label):
    """Compile each file of names (paths under srcdir) into tmp; return
    {name: object path} and {name: the other files whose functions it calls}."""
    defined, used, objs = {}, {}, {}
    for name in names:
        obj = os.path.join(tmp, label + "_" + name.replace(os.sep, "_") + ".o")
        r = subprocess.run([cc, "-c"] + flags + ["-o", obj, os.path.join(srcdir, name)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"src/{label}/{name}: does not compile:\n{r.stderr}")
            continue
        objs[name] = obj
        used[name] = set()
        out = subprocess.run([nm, obj], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 2 and f[0] == "U":
                used[name].add(f[1])
            elif len(f) == 3 and f[1] in "TDRB":
                defined[f[2]] = name
    return objs, {n: {defined[x] for x in syms if x in defined and defined[x] != n}
                  for n, syms in used.items()}


def report_cycles(calls, label):
    """A problem for each back edge of a depth-first search over calls."""
    state = {}

    def visit(a, path):
        state[a] = 1
        for b in sorted(calls.get(a, ())):
            if state.get(b) == 1:
                problems.append(f"{label} call cycle: " +
                                " -> ".join(f"src/{label}/" + c for c in path[path.index(b):] + [b]))
            elif b not in state:
                visit(b, path + [b])
        state[a] = 2

    for a in sorted(calls):
        if a not in state:
            visit(a, [a])


calls = {}
cc, nm = shutil.which(os.environ.get("CC", "cc")), shutil.which("nm")
if cc and nm:
    layer_of = dict(files)
    with tempfile.TemporaryDirectory() as tmp:
        objs, calls = call_graph(core, [rel for rel, _ in files if rel.endswith(".c")],
                                 ["-std=c99", "-fPIC", "-I" + core], tmp, "core")
        # 5. each prefix of the stack links alone
        stack = []
        for layer in layers:
            stack += [o for rel, o in objs.items() if layer_of[rel] == layer]
            r = subprocess.run([cc, "-shared", "-Wl,--no-undefined", "-o", os.path.join(tmp, "prefix.so")]
                               + stack + libs, capture_output=True, text=True)
            if r.returncode != 0:
                problems.append(f"layers {' + '.join(layers[:layers.index(layer) + 1])} do not link "
                                f"on their own:\n{r.stderr.strip()}")
    for a in sorted(calls):
        for b in sorted(calls[a]):
            if rank[layer_of[b]] > rank[layer_of[a]]:
                problems.append(f"src/core/{a}: calls into src/core/{b}, layer {layer_of[b]} is above {layer_of[a]}")
    report_cycles(calls, "core")

    # 6. the glue's files do not call each other in a circle
    pg_config = shutil.which(os.environ.get("PG_CONFIG", "pg_config"))
    if pg_config:
        incdir = subprocess.run([pg_config, "--includedir-server"], capture_output=True,
                                text=True).stdout.strip()
        with tempfile.TemporaryDirectory() as tmp:
            _, gcalls = call_graph(glue, sorted(n for n in os.listdir(glue) if n.endswith(".c")),
                                   ["-I" + core, "-I" + glue, "-I" + incdir], tmp, "pg")
        report_cycles(gcalls, "pg")
        glue_note = f"; the glue's {sum(len(v) for v in gcalls.values())} file-to-file calls have no cycle"
    else:
        glue_note = "; no pg_config: the glue's calls not checked"
else:
    print("check-layers: no cc or nm, calls not checked")
    glue_note = ""

for p in problems:
    print(p)
nfiles = len(files)
nedges = sum(len(v) for v in calls.values())
if problems:
    print(f"check-layers: {len(problems)} problem(s)")
    sys.exit(1)
print(f"check-layers: {nfiles} files in {len(layers)} layers ({' < '.join(layers)}); "
      f"includes and {nedges} file-to-file calls go down or sideways, no call cycle, "
      f"each prefix of the layers links alone; "
      f"the glue includes sm_core.h only{glue_note}")
