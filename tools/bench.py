#!/usr/bin/env python3
"""Parse the benchmark lines ("@@bench ...", "@@selftest-...") of a demo boot log.

usage: bench.py LOG   -> prints one JSON object

Raw samples are kept; medians and quartiles are computed here, so that
report.py only compares.
"""
import json
import re
import sys


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


def parse(text):
    res = {"cost": {}, "huge": {}, "split": {}, "tput": {}, "secretmem": None,
           "selftest": None, "tables": [], "errors": []}
    secret = []
    for line in text.splitlines():
        if line.startswith("@@error"):
            res["errors"].append(line[8:].strip())
        if not line.startswith("@@bench "):
            continue
        line = line[len("@@bench "):].strip()
        kind = line.split()[0]
        w = words(line)
        if kind in ("cost", "huge"):
            if "error" in w:
                res["errors"].append(line)
                continue
            ro = [int(x) for x in w["ro_ns"].split(",")]
            rw = [int(x) for x in w["rw_ns"].split(",")]
            res[kind][w["pages"]] = {
                "ro_ret": int(w["ro_ret"]), "rw_ret": int(w["rw_ret"]),
                "leaves": leaves(w.get("leaves", "")), "leaves_ro": leaves(w.get("leaves_ro", "")),
                "ro_leaves": int(w["ro_leaves"]),
                "writes_fault_when_ro": w["writes_fault_when_ro"] == "1",
                "writable_after": w["writable_after"] == "1",
                "first_ns": ro[0] + rw[0],
                "ro": stats(ro), "rw": stats(rw),
                "pair": stats([a + b for a, b in zip(ro, rw)]),
            }
        elif kind == "split":
            s = res["split"].setdefault(w["kind"], {"samples": []})
            if w["found"] == "1":
                s["samples"].append({"first_ns": int(w["first_ns"]), "again_ns": int(w["again_ns"]),
                                     "new_tables": int(w["new_tables"]), "ret": w["ret"],
                                     "now": w["now"]})
        elif kind == "tput":
            key = f"{w['mode']} {w['layout']} {w['threads']}"
            t = res["tput"].setdefault(key, {"ops_per_s": [], "new_tables": [], "ret": []})
            t["ops_per_s"].append(int(w["ops"]) / (int(w["ns"]) / 1e9))
            t["new_tables"].append(int(w["new_tables"]))
            t["ret"].append(int(w["ret"]))
        elif kind == "secretmem":
            if "error" in w:
                res["errors"].append(line)
                continue
            secret.append(int(w["pages"]) / (int(w["ns"]) / 1e9))
        elif kind == "tables":
            res["tables"].append(int(w["linear_map"]))
    for s in res["split"].values():
        s["first"] = stats([x["first_ns"] for x in s["samples"]])
        s["again"] = stats([x["again_ns"] for x in s["samples"]])
        s["new_tables"] = sorted({x["new_tables"] for x in s["samples"]})
    for t in res["tput"].values():
        t["stats"] = stats(t["ops_per_s"])
    if secret:
        res["secretmem"] = {"first": secret[0], "rest": stats(secret[1:] or secret), "all": secret}
    m = re.search(r"@@selftest-begin (\S+)\n(.*?)@@selftest-end \S+ exit=(-?\d+)", text, re.S)
    if m:
        body = m.group(2)
        tot = re.search(r"# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) xpass:(\d+) skip:(\d+) error:(\d+)", body)
        res["selftest"] = {
            "exit": int(m.group(3)),
            "pass": int(tot.group(1)) if tot else 0,
            "fail": int(tot.group(2)) if tot else None,
            "skip": int(tot.group(5)) if tot else None,
            "lines": [x for x in body.splitlines() if re.match(r"(not )?ok \d+", x)],
        }
    return res


if __name__ == "__main__":
    print(json.dumps(parse(open(sys.argv[1], errors="replace").read())))
