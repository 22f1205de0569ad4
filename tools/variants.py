#!/usr/bin/env python3
"""Experiment table for scripts/variants.sh: the single-page steps of each
kernel, per operation, and their ratio to base.

usage: variants.py DIR BASE NAME...   (DIR/NAME/boot-N.log)

Each boot runs "steps 400" nine times, the host's speed timed before each
(@@ref) and after the last; the first run of a boot is a warm-up and is
left out. A run counts only if its getppid() reference took at most FAST
times the 10th percentile of all the runs' (the host's fast speed, as in
section 12 of the demo's report). Per kernel: the median of the counted
runs over all boots; per ratio: the 95% interval from resampling whole
boots, then the runs within each (report.ratio_ci).
"""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demolog  # noqa: E402
from bench import refs_beside, words  # noqa: E402
from report import FAST, median, ratio_ci  # noqa: E402

KEYS = [("ro_rw_ns", "set_memory ro+rw"), ("pair_ns", "direct map pair"),
        ("secret_ns", "secretmem step"), ("flush_ns", "flush"),
        ("unmap_aliases_ns", "vm_unmap_aliases x2")]


def runs(path):
    """[(values per key, getppid ref)] of one boot, warm-up left out"""
    lines = demolog.read(path).splitlines()
    refs = refs_beside(lines)
    out = []
    for line, ref in zip(lines, refs):
        if not line.startswith("@@bench steps "):
            continue
        w = words(line[len("@@bench "):])
        if int(w.get("ret", 1)):
            continue
        n = int(w["iters"])
        out.append(({k: int(w[k]) / n for k, _ in KEYS}, ref[1] if ref else None))
    return out[1:]


def main():
    d, names = sys.argv[1], sys.argv[2:]
    data = {n: [runs(p) for p in sorted(glob.glob(os.path.join(d, n, "boot-*.log")))] for n in names}
    refs = sorted(r for boots in data.values() for b in boots for _, r in b if r)
    if not refs:
        sys.exit("no runs with the host's speed beside them")
    limit = refs[len(refs) // 10] * FAST
    kept = {n: [[v for v, r in b if r and r <= limit] for b in boots] for n, boots in data.items()}
    print(f"fast limit: getppid x2000 <= {limit / 1e6:.2f} ms; runs kept / all: " +
          ", ".join(f"{n} {sum(map(len, kept[n]))}/{sum(map(len, data[n]))}" for n in names))
    print()
    print("| kernel | " + " | ".join(label for _, label in KEYS) + " |")
    print("|---|" + "---|" * len(KEYS))
    base = kept[names[0]]
    for n in names:
        cells = []
        for k, _ in KEYS:
            boots = [[v[k] for v in b] for b in kept[n]]
            allv = [x for b in boots for x in b]
            if not allv:
                cells.append("-")
                continue
            m = median(allv)
            if n == names[0]:
                cells.append(f"{m:,.0f} ns")
                continue
            bb = [[v[k] for v in b] for b in base]
            ci = ratio_ci(boots, bb)
            r = m / median([x for b in bb for x in b])
            cells.append(f"{m:,.0f} ns, {r:.3f}" + (f" ({ci[0]:.3f}-{ci[1]:.3f})" if ci else ""))
        print(f"| {n} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
