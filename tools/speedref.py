#!/usr/bin/env python3
"""Experiment: does the host-speed reference of the one-vCPU boots narrow
the patched / base intervals? (scripts/speedref.sh)

usage: speedref.py DIR   (DIR/NAME/boot-N.log for NAME in base, patched,
                          patched-nobbml2)

For each measure of section 12 and each way of correcting for the host's
speed (none; user code; getppid(); both), the patched / base and
nobbml2 / base ratio with its 95% interval (whole boots resampled), and
the mean width of those intervals, log(high / low). Then each boot's
median for base, raw and corrected: the host's two speeds should show in
the first and not in the second.
"""
import glob
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import demolog  # noqa: E402
from report import REFS, MEASURES, measure, median, ratio_ci, run_limit  # noqa: E402


def main():
    d = sys.argv[1]
    res = {}
    for name in ("base", "patched", "patched-nobbml2"):
        logs = sorted(glob.glob(os.path.join(d, name, "boot-*.log")))
        if logs:
            res[name] = bench.parse([demolog.read(p) for p in logs])
    print(f"boots: " + ", ".join(f"{k} {v['boots']}" for k, v in res.items()))
    limit = run_limit(res.values())
    width = {how: [] for how in REFS}
    print("| measure | correction | patched / base | nobbml2 / base |")
    print("|---|---|---|---|")
    for label, key, get, higher in MEASURES:
        for how in REFS:
            cells = []
            b = measure(res["base"], get, higher, how, limit)
            for name in ("patched", "patched-nobbml2"):
                p = measure(res.get(name) or {}, get, higher, how, limit)
                if not p or not b or not any(p) or not any(b):
                    cells.append("?")
                    continue
                r = median([x for bb in p for x in bb]) / median([x for bb in b for x in bb])
                ci = ratio_ci(p, b)
                if ci:
                    width[how].append(math.log(ci[1] / ci[0]))
                cells.append(f"{r:.3f} ({ci[0]:.3f}-{ci[1]:.3f})" if ci else f"{r:.3f}")
            print(f"| {label} | {how} | " + " | ".join(cells) + " |")
    print()
    for how, w in width.items():
        if w:
            print(f"{how}: mean log(high/low) {sum(w) / len(w):.4f} over {len(w)} intervals")
    print()
    print("base, each boot's median (raw; fast mode only, '-' for none):")
    for label, key, get, higher in MEASURES:
        raw = measure(res["base"], get, higher, "none")
        cor = measure(res["base"], get, higher, "fast", limit)
        if raw and cor and any(cor):
            r0, c0 = median([median(x) for x in raw]), median([median(x) for x in cor if x])
            print(f"  {label}: " + " ".join(f"{median(x) / r0:.2f}" for x in raw) + "  |  " +
                  " ".join(f"{median(x) / c0:.2f}" if x else "-" for x in cor))


if __name__ == "__main__":
    main()
