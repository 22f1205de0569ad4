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
        try:
            parse_line(res, secret, line)
        except (KeyError, ValueError, IndexError) as e:
            res["errors"].append(f"unparsable ({e!r}): {line[:120]}")
    finish(res, secret, text)
    return res


def parse_line(res, secret, line):
    kind = line.split()[0]
    w = words(line)
    if True:
        if kind == "cost" and "leaked" in w:
            res["errors"].append(f"leaked a {w.get('pages')}-page area left read-only")
        elif kind in ("cost", "huge"):
            if "error" in w:
                res["errors"].append(line)
                return
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
                "pair_ns": [a + b for a, b in zip(ro, rw)],
            }
        elif kind == "split":
            s = res["split"].setdefault(w["kind"], {"samples": []})
            if w["found"] == "1":
                s["samples"].append({"first_ns": int(w["first_ns"]), "again_ns": int(w["again_ns"]),
                                     "new_tables": int(w["new_tables"]), "ret": w["ret"],
                                     "now": w["now"]})
        elif kind == "tput":
            key = f"{w['mode']} {w['layout']} {w['threads']}"
            t = res["tput"].setdefault(key, {"ops_per_s": [], "new_tables": [], "ret": [],
                                              "blocks": 0, "in_leaves": 0})
            if int(w["ret"]):
                res["errors"].append(line)
                return
            t["ops_per_s"].append(int(w["ops"]) / (int(w["ns"]) / 1e9))
            t["new_tables"].append(int(w["new_tables"]))
            t["ret"].append(int(w["ret"]))
            t["blocks"] += int(w.get("blocks", 0))
            t["in_leaves"] += int(w.get("in_leaves", 0))
        elif kind == "secretmem":
            if "error" in w:
                res["errors"].append(line)
                return
            secret.append((int(w["pages"]) / (int(w["ns"]) / 1e9), int(w.get("new_tables", -1))))
        elif kind == "tables":
            res["tables"].append(int(w["linear_map"]))


def finish(res, secret, text):
    for s in res["split"].values():
        s["first"] = stats([x["first_ns"] for x in s["samples"]])
        s["again"] = stats([x["again_ns"] for x in s["samples"]])
        s["new_tables"] = sorted({x["new_tables"] for x in s["samples"]})
    for t in res["tput"].values():
        t["stats"] = stats(t["ops_per_s"])
    if secret:
        rates = [r for r, _ in secret]
        res["secretmem"] = {"first": rates[0], "first_new_tables": secret[0][1],
                            "rest": stats(rates[1:] or rates), "all": rates,
                            "new_tables": [t for _, t in secret]}
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
    res["done"] = "@@done" in text


if __name__ == "__main__":
    print(json.dumps(parse(open(sys.argv[1], errors="replace").read())))
