#!/usr/bin/env python3
"""Parse the benchmark lines ("@@bench ...", "@@selftest-...") of demo boot logs.

usage: bench.py LOG [LOG...]   -> prints one JSON object

Several logs are several boots of the same kernel. Raw samples are kept,
pooled and also boot by boot ("..._boots": one list per boot), so that
report.py can resample whole boots for its intervals; medians and
quartiles of the pooled samples are computed here.
"""
import json
import re
import sys

import demolog


def quantile(xs, q):
    xs = sorted(xs)
    if not xs:
        return None
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def stats(xs):
    """median, quartiles and extremes of a list of numbers"""
    if not xs:
        return None
    return {"n": len(xs), "median": quantile(xs, 0.5), "p25": quantile(xs, 0.25),
            "p75": quantile(xs, 0.75), "min": min(xs), "max": max(xs)}


def words(line):
    out = {}
    for w in line.split()[1:]:
        k, _, v = w.partition("=")
        out[k] = v
    return out


def leaves(v):
    return {k: int(n) for k, _, n in (x.partition(":") for x in v.split(",") if x)}


def per_boot(d, key, bi, xs):
    """append xs to the list of boot bi in d[key] (a list of lists)"""
    lst = d.setdefault(key, [])
    while len(lst) <= bi:
        lst.append([])
    lst[bi].extend(xs)


def parse_line(res, boot, line, ref=None):
    """one @@bench line; ref: the host's speed beside it ([user_ns, sys_ns]
    of demo-init.c's speed_ref(), before and after it averaged), or None"""
    bi = res["boots"]
    kind = line.split()[0]
    w = words(line)
    if kind == "cost" and "leaked" in w:
        res["kept"].append(int(w.get("pages", 0)))
    elif kind in ("cost", "huge"):
        if "error" in w:
            res["errors"].append(line)
            return
        ro = [int(x) for x in w["ro_ns"].split(",")]
        rw = [int(x) for x in w["rw_ns"].split(",")]
        c = res[kind].setdefault(w["pages"], {
            "ro_ret": 0, "rw_ret": 0, "leaves": leaves(w.get("leaves", "")),
            "leaves_ro": leaves(w.get("leaves_ro", "")), "ro_leaves": int(w["ro_leaves"]),
            "writes_fault_when_ro": True, "writable_after": True,
            "first_ns": [], "ro_ns": [], "rw_ns": [], "pair_ns": []})
        c["ro_ret"] = c["ro_ret"] or int(w["ro_ret"])
        c["rw_ret"] = c["rw_ret"] or int(w["rw_ret"])
        c["writes_fault_when_ro"] &= w["writes_fault_when_ro"] == "1"
        c["writable_after"] &= w["writable_after"] == "1"
        c["ro_leaves"] = min(c["ro_leaves"], int(w["ro_leaves"]))
        # the first call of an area pays for its first splits: kept apart
        c["first_ns"].append(ro[0] + rw[0])
        c["ro_ns"] += ro[1:] or ro
        c["rw_ns"] += rw[1:] or rw
        pairs = [a + b for a, b in zip(ro[1:] or ro, rw[1:] or rw)]
        c["pair_ns"] += pairs
        per_boot(c, "pair_boots", bi, pairs)
        if ref:
            per_boot(c, "pair_refs", bi, [ref] * len(pairs))
    elif kind == "split":
        s = res["split"].setdefault(w["kind"], {"samples": []})
        if w["found"] == "1":
            s["samples"].append({"first_ns": int(w["first_ns"]), "again_ns": int(w["again_ns"]),
                                 "new_tables": int(w["new_tables"]), "ret": w["ret"],
                                 "now": w["now"]})
    elif kind == "tput":
        key = f"{w['mode']} {w['layout']} {w['threads']}"
        t = res["tput"].setdefault(key, {"ops_per_s": [], "new_tables": [], "blocks": 0,
                                          "in_leaves": 0})
        if int(w["ret"]):
            res["errors"].append(line)
            return
        t["ops_per_s"].append(int(w["ops"]) / (int(w["ns"]) / 1e9))
        per_boot(t, "ops_boots", bi, [t["ops_per_s"][-1]])
        if ref:
            per_boot(t, "ops_refs", bi, [ref])
        t["new_tables"].append(int(w["new_tables"]))
        t["blocks"] += int(w.get("blocks", 0))
        t["in_leaves"] += int(w.get("in_leaves", 0))
    elif kind == "secretmem":
        if "error" in w:
            res["errors"].append(line)
            return
        boot["secret"].append((int(w["pages"]) / (int(w["ns"]) / 1e9), int(w.get("new_tables", -1)),
                               ref))
    elif kind in ("module", "bpf"):
        if "error" in w:
            res["errors"].append(line)
            return
        c = res.setdefault(kind, {"ops_per_s": []})
        c["ops_per_s"].append(int(w["ops"]) / (int(w["ns"]) / 1e9))
        per_boot(c, "ops_boots", bi, [c["ops_per_s"][-1]])
        if ref:
            per_boot(c, "ops_refs", bi, [ref])
    elif kind == "steps":
        if int(w["ret"]):
            res["errors"].append(line)
            return
        n = int(w["iters"])
        st = res.setdefault("steps", {})
        for k, v in w.items():
            if k.endswith("_ns"):
                per_boot(st, k, bi, [int(v) / n])
    elif kind == "kfence":
        boot["kfence"].append({"pool": int(w["pool"]), "leaves": leaves(w.get("leaves", "")),
                               "tables": int(w["tables"])})
    elif kind == "tables":
        boot["tables"].append(int(w["linear_map"]))


def refs_beside(lines):
    """for each line, the mean of the @@ref lines right before and right
    after it ([user_ns, sys_ns]), the one there is, or None"""
    vals = [None] * len(lines)
    for i, line in enumerate(lines):
        if line.startswith("@@ref "):
            w = words(line)
            try:
                vals[i] = [int(w["user_ns"]), int(w["sys_ns"])]
            except (KeyError, ValueError):
                pass   # a kernel message inside the line
    out, before = [None] * len(lines), None
    for i, v in enumerate(vals):
        if v:
            before = v
        out[i] = before
    after = None
    for i in range(len(lines) - 1, -1, -1):
        if vals[i]:
            after = vals[i]
        b = out[i]
        out[i] = [(x + y) / 2 for x, y in zip(b, after)] if b and after else (b or after)
    return out


def parse_boot(res, text):
    boot = {"secret": [], "tables": [], "kfence": []}
    lines = text.splitlines()
    refs = refs_beside(lines)
    for li, line in enumerate(lines):
        if line.startswith("@@error"):
            res["errors"].append(line[8:].strip())
        if line.startswith("@@worker "):
            # the collapse worker's CPU time inside a one-vCPU pairs sample
            f = line.split()
            w = dict(x.split("=", 1) for x in f[2:] if "=" in x)
            res["worker"].setdefault(f[1], []).append([int(w["cpu_us"]), int(w["wall_us"])])
        if not line.startswith("@@bench "):
            continue
        line = line[len("@@bench "):].strip()
        try:
            parse_line(res, boot, line, refs[li])
        except (KeyError, ValueError, IndexError) as e:
            res["errors"].append(f"unparsable ({e!r}): {line[:120]}")
    res["boots"] += 1
    res["done"] = res["done"] and "@@done" in text
    res["tables"].append(boot["tables"])
    if boot["secret"]:
        res["secret_boots"].append(boot["secret"])
    if boot["kfence"]:
        res["kfence"].append(boot["kfence"])
    m = re.search(r"@@selftest-begin (\S+)\n(.*?)@@selftest-end \S+ exit=(-?\d+)", text, re.S)
    if m:
        tot = re.search(r"# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) skip:(\d+) error:(\d+)",
                        m.group(2))
        st = res["selftest"] or {"exit": 0, "pass": 0, "fail": 0, "skip": 0, "runs": 0}
        st["runs"] += 1
        st["exit"] = st["exit"] or int(m.group(3))
        if tot:
            st["pass"] += int(tot.group(1))
            st["fail"] += int(tot.group(2))
            st["skip"] += int(tot.group(5))
        else:
            st["fail"] += 1
        res["selftest"] = st


def parse(texts):
    res = {"cost": {}, "huge": {}, "split": {}, "tput": {}, "secretmem": None,
           "selftest": None, "tables": [], "errors": [], "kept": [], "boots": 0, "done": True,
           "secret_boots": [], "kfence": [], "worker": {}}
    for text in texts:
        parse_boot(res, text)
    for kind in ("cost", "huge"):
        for c in res[kind].values():
            c["first"] = stats(c["first_ns"])
            c["ro"], c["rw"], c["pair"] = stats(c["ro_ns"]), stats(c["rw_ns"]), stats(c["pair_ns"])
    for s in res["split"].values():
        s["first"] = stats([x["first_ns"] for x in s["samples"]])
        s["again"] = stats([x["again_ns"] for x in s["samples"]])
        s["new_tables"] = sorted({x["new_tables"] for x in s["samples"]})
    for t in list(res["tput"].values()) + [res[k] for k in ("module", "bpf") if k in res]:
        t["stats"] = stats(t["ops_per_s"])
    if res["secret_boots"]:
        firsts = [b[0][0] for b in res["secret_boots"]]
        rest = [r for b in res["secret_boots"] for r, _, _ in b[1:]]
        res["secretmem"] = {"first": stats(firsts), "rest": stats(rest or firsts),
                            "rest_boots": [[r for r, _, _ in b[1:]] or [b[0][0]] for b in res["secret_boots"]],
                            "first_new_tables": [b[0][1] for b in res["secret_boots"]]}
        if all(x[2] for b in res["secret_boots"] for x in b):
            res["secretmem"]["rest_refs"] = [[x[2] for x in b[1:]] or [b[0][2]]
                                             for b in res["secret_boots"]]
    res["done"] = res["done"] and res["boots"] > 0
    return res


if __name__ == "__main__":
    texts = [demolog.read(p) for p in sys.argv[1:]]
    print(json.dumps(parse(texts)))
