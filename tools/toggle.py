#!/usr/bin/env python3
"""Collapse on / off for the one-vCPU pairs, paired within each boot.

Usage: toggle.py DIR  (DIR holds boot-N.log of scripts/toggle.sh): a table
       toggle.py --json LOG...  (make demo's toggle boots): the same as JSON

Each boot switches collapse on and off between pairs samples (@@state
lines); its ratio is median(on) / median(off) of its own samples. The
table gives the median of the boots' ratios and a 95% interval from a
bootstrap that resamples whole boots, then the samples within each.
"""
import glob
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import median  # noqa: E402

TPUT = re.compile(r"^@@bench tput mode=warm layout=(\w+) threads=1 ops=(\d+) ns=(\d+)")


def parse(path):
    """{layout: {"1": [ops/s...], "0": [...]}} of one boot"""
    state, out = None, {}
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("@@state collapse="):
                state = line.strip().split("=")[1]
            elif line.startswith("@@state done") or line.startswith("@@phase tput"):
                break
            m = TPUT.match(line)
            if m and state is not None:
                ops, ns = int(m.group(2)), int(m.group(3))
                out.setdefault(m.group(1), {}).setdefault(state, []).append(ops * 1e9 / ns)
    return out


def summary(paths):
    """{layout: {"ratio", "ci95", "ratios", "boots"}} of the boot logs @paths"""
    boots = [b for b in (parse(p) for p in sorted(paths)) if b]
    rnd = random.Random(1)
    out = {}
    for lay in ("shared", "separate"):
        pairs = [(b[lay]["1"], b[lay]["0"]) for b in boots
                 if lay in b and len(b[lay].get("1", [])) > 1 and len(b[lay].get("0", [])) > 1]
        if len(pairs) < 2:
            continue
        rs = [median(on) / median(off) for on, off in pairs]
        bs = []
        for _ in range(2000):
            sample = rnd.choices(pairs, k=len(pairs))
            bs.append(median([median(rnd.choices(on, k=len(on))) /
                              median(rnd.choices(off, k=len(off))) for on, off in sample]))
        bs.sort()
        out[lay] = {"ratio": median(rs), "ci95": [bs[50], bs[1949]], "ratios": rs,
                    "boots": len(pairs)}
    return out


def main():
    if sys.argv[1:2] == ["--json"]:
        json.dump(summary(sys.argv[2:]), sys.stdout, indent=1)
        print()
        return
    d = sys.argv[1]
    paths = glob.glob(os.path.join(d, "boot-*.log"))
    s = summary(paths)
    print(f"boots: {len([p for p in paths if parse(p)])}")
    print("| layout | on / off, within boots | boots' ratios |")
    print("|---|---|---|")
    for lay in ("shared", "separate"):
        if lay not in s:
            print(f"| {lay} | ? | |")
            continue
        x = s[lay]
        print(f"| {lay} | {x['ratio']:.3f} ({x['ci95'][0]:.3f}-{x['ci95'][1]:.3f}) | " +
              " ".join(f"{r:.2f}" for r in x["ratios"]) + " |")


if __name__ == "__main__":
    main()
