#!/usr/bin/env python3
"""Collapse on / off for the one-vCPU single-page paths, taken apart.

Usage: onoff.py DIR  (DIR holds boot-single-{on,offtput,off}-N.log)

on:      the patched kernel as shipped (collapse on);
offtput: the same boot, collapse switched off right before the pairs
         (demo.offtput=1): the map collapse made, no notes, no passes;
off:     collapse off from boot (sysctl.vm.linear_map_collapse=0).
Ratios are medians with 95% intervals over whole boots (report.py's
bootstrap), throughputs (higher is better).
"""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import demolog  # noqa: E402
import report  # noqa: E402


def main():
    d = sys.argv[1]
    res = {}
    for v in ("on", "offtput", "off"):
        logs = sorted(glob.glob(os.path.join(d, f"boot-single-{v}-*.log")))
        res[v] = bench.parse([demolog.read(p) for p in logs])
    print("boots: " + ", ".join(f"{v} {res[v]['boots']}" for v in res))
    print("| measure | on / off | offtput / off | on / offtput |")
    print("|---|---|---|---|")
    for k, label in (("warm shared 1", "pairs/s, shared"), ("warm separate 1", "pairs/s, separate")):
        t = {v: res[v]["tput"][k] for v in res}
        cells = []
        for a, b in (("on", "off"), ("offtput", "off"), ("on", "offtput")):
            r = t[a]["stats"]["median"] / t[b]["stats"]["median"]
            cells.append(report.fmt_ci(r, report.ratio_ci(t[a]["ops_boots"], t[b]["ops_boots"])))
        print(f"| {label} | " + " | ".join(cells) + " |")
    for v in ("on", "offtput"):
        for kind, s in sorted(res[v]["worker"].items()):
            cpu, wall = sum(c for c, _ in s), sum(w for _, w in s)
            print(f"worker in {v} {kind}: {cpu / 1000:.1f} ms in {wall / 1000:.0f} ms, "
                  f"{sum(1 for c, _ in s if c)} of {len(s)} samples")


if __name__ == "__main__":
    main()
