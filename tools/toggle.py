#!/usr/bin/env python3
"""Collapse on / off for the one-vCPU pairs and secretmem faults, paired
within each boot.

Usage: toggle.py DIR  (DIR holds boot-N.log of scripts/toggle.sh): a table
       toggle.py --json LOG...  (make demo's toggle boots): the same as JSON

Each boot switches collapse on and off between pairs samples, then
between secretmem rounds (@@state lines); its ratio is median(on) / median(off) of its own samples. The
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
import demolog  # noqa: E402
from bench import refs_beside  # noqa: E402
from report import SPEED_REF, corrected, fast_limit, median  # noqa: E402

TPUT = re.compile(r"^@@bench tput mode=warm layout=(\w+) threads=1 ops=(\d+) ns=(\d+)")
SECRET = re.compile(r"^@@bench secretmem round=\d+ pages=(\d+) ns=(\d+)")
WHAT = ("shared", "separate", "secretmem")


def parse(path):
    """{what: {"1": [(ops/s, ref)...], "0": [...]}} of one boot: the pairs of
    each layout and secretmem faults, in the toggled parts of the boot only,
    each with the host's speed beside it (bench.refs_beside(), or None)"""
    state, out = None, {}
    lines = demolog.read(path).splitlines()
    refs = refs_beside(lines)
    for li, line in enumerate(lines):
        if line.startswith("@@state collapse="):
            state = line.strip().split("=")[1]
        elif line.startswith("@@state done"):
            state = None
        elif line.startswith("@@phase tput"):
            break
        if state is None:
            continue
        m, what = TPUT.match(line), None
        if m:
            what, ops, ns = m.group(1), int(m.group(2)), int(m.group(3))
        m = m or SECRET.match(line)
        if m and not what:
            what, ops, ns = "secretmem", int(m.group(1)), int(m.group(2))
        if what:
            out.setdefault(what, {}).setdefault(state, []).append((ops * 1e9 / ns, refs[li]))
    return out


def pick(samples, how, limit):
    """the values of @samples at the same host speed (report.corrected())"""
    v = corrected([[x for x, _ in samples]], [[r for _, r in samples]], True, how, limit)
    return v[0] if v else []


def summary(paths, how=SPEED_REF):
    """{what: {"ratio", "ci95", "ratios", "boots"}} of the boot logs @paths,
    each sample corrected @how for the host's speed"""
    boots = [b for b in (parse(p) for p in sorted(paths)) if b]
    limit = fast_limit([[[r for _, r in st] for w in b.values() for st in w.values()] for b in boots])
    rnd = random.Random(1)
    out = {}
    for lay in WHAT:
        pairs = [(pick(b[lay].get("1", []), how, limit), pick(b[lay].get("0", []), how, limit))
                 for b in boots if lay in b]
        pairs = [(on, off) for on, off in pairs if len(on) > 1 and len(off) > 1]
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
        out = summary(sys.argv[2:])
        out["raw"] = summary(sys.argv[2:], "none")
        json.dump(out, sys.stdout, indent=1)
        print()
        return
    d = sys.argv[1]
    paths = glob.glob(os.path.join(d, "boot-*.log"))
    print(f"boots: {len([p for p in paths if parse(p)])}")
    print("| samples | correction for the host's speed | on / off, within boots | boots' ratios |")
    print("|---|---|---|---|")
    for how in (SPEED_REF, "none"):
        s = summary(paths, how)
        for lay in WHAT:
            if lay not in s:
                print(f"| {lay} | {how} | ? | |")
                continue
            x = s[lay]
            print(f"| {lay} | {how} | {x['ratio']:.3f} ({x['ci95'][0]:.3f}-{x['ci95'][1]:.3f}) | " +
                  " ".join(f"{r:.2f}" for r in x["ratios"]) + " |")


if __name__ == "__main__":
    main()
