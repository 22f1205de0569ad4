#!/usr/bin/env python3
"""Do two runs of make demo agree? Compare their ratios and intervals.

usage: agree.py PREV_DIR DIR   (reads report.json of each)

For every ratio both reports give with a 95% interval (over whole boots),
the two runs agree when each run's ratio lies inside the other's interval;
"overlap" when only the intervals overlap; "DISAGREE" otherwise. A verdict
that flips between runs (a target met in one, missed in the other; a
verdict "within noise" is neither) is listed apart: it is noise, not a
result.
"""
import json
import os
import sys


def ratios(j):
    out = {}
    for n, c in j.get("cost", {}).items():
        out[f"set_memory_ro+rw {n} pages, time"] = (c.get("pair_ratio"), c.get("pair_ratio_ci95"))
        out[f"set_memory_ro+rw {n} pages, nobbml2, time"] = (c.get("nobbml2_pair_ratio"),
                                                             c.get("nobbml2_pair_ratio_ci95"))
    for k, t in j.get("tput", {}).items():
        out[f"tput {k}"] = (t.get("ratio"), t.get("ratio_ci95"))
        out[f"tput {k}, nobbml2"] = (t.get("nobbml2_ratio"), t.get("nobbml2_ratio_ci95"))
    for name, c in j.get("clients", {}).items():
        if name == "base":
            continue
        for k in ("secretmem", "module", "bpf"):
            out[f"{k} {name}"] = (c.get(k + "_ratio"), c.get(k + "_ratio_ci95"))
    for k, r in j.get("single_vcpu", {}).items():
        for name in ("patched", "patched-nobbml2", "blocks_ptes", "collapse_on_off",
                     "patched raw", "patched-nobbml2 raw", "blocks_ptes raw", "collapse_on_off raw"):
            x = r.get(name) or {}
            out[f"one vCPU: {k}, {name}"] = (x.get("ratio"), x.get("ci95"))
    for k, r in j.get("icount", {}).items():
        for name in ("patched", "patched-nobbml2", "blocks_ptes", "collapse_on_off"):
            x = r.get(name) or {}
            out[f"icount: {k}, {name}"] = (x.get("ratio"), x.get("ci95"))
    for k, r in j.get("tcg_tlb", {}).items():
        out[f"blocks/PTEs {k}"] = (r.get("ratio"), r.get("ci95"))
    return {k: v for k, v in out.items() if v[0] is not None and v[1]}


def main():
    a, b = (json.load(open(os.path.join(d, "report.json"))) for d in sys.argv[1:3])
    ra, rb = ratios(a), ratios(b)
    rows, bad = [], 0
    for k in sorted(set(ra) & set(rb)):
        (x, cx), (y, cy) = ra[k], rb[k]
        if cx[0] <= y <= cx[1] and cy[0] <= x <= cy[1]:
            v = "agree"
        elif cx[0] <= cy[1] and cy[0] <= cx[1]:
            v = "overlap"
        else:
            v, bad = "DISAGREE", bad + 1
        rows.append(f"| {k} | {x:.2f} ({cx[0]:.2f}-{cx[1]:.2f}) | {y:.2f} ({cy[0]:.2f}-{cy[1]:.2f}) | {v} |")
    ga = {g["goal"]: g["met"] for g in a.get("goals", [])}
    gb = {g["goal"]: g["met"] for g in b.get("goals", [])}
    # opposite verdicts: met in one run, missed in the other ("within noise"
    # is neither: it says the interval straddles the bar)
    flips = [g for g in ga if g in gb and {ga[g].split(";")[0].split(" (")[0],
                                           gb[g].split(";")[0].split(" (")[0]} == {"yes", "no"}]
    print(f"## Agreement with the previous run ({a.get('date')} and {b.get('date')})", "",
          f"{len(rows)} ratios with intervals in both runs: "
          f"{sum('| agree |' in r for r in rows)} agree (each ratio inside the other run's interval), "
          f"{sum('| overlap |' in r for r in rows)} overlap, {bad} disagree. "
          f"Targets whose verdict flipped: {', '.join(flips) if flips else 'none'}.", "",
          "| ratio | previous run | this run | |", "|---|---|---|---|", *rows, sep="\n")


if __name__ == "__main__":
    main()
