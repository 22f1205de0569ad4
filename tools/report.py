#!/usr/bin/env python3
"""Write the demo report: markdown to stdout, JSON to DIR/report.json.

usage: report.py DIR

Reads DIR/linmap-NAME.json (tools/linmap.py) and DIR/bench-NAME.json
(tools/bench.py) of the boots base, patched, patched-nobbml2 and limit.
All ratios are patched / base, from the one run of make demo.
"""
import datetime
import json
import os
import platform
import random
import subprocess
import sys

RUNS = [
    ("base", "base 6.12, rodata=full"),
    ("patched", "patched, rodata=full"),
    ("patched-nobbml2", "patched, rodata=full, arm64.nobbml2"),
    ("limit", "patched, rodata=off (limit)"),
    ("patched-nocollapse", "patched, rodata=full, collapse off"),
]
KINDS = ["PUD 1G", "contiguous PMD 32M", "PMD 2M", "contiguous PTE 64K", "PTE 4K"]
SPLIT_KINDS = [("PUD", "PUD block"), ("contPMD", "contiguous PMDs"), ("PMD", "PMD block"),
               ("contPTE", "contiguous PTEs")]


def load(d, what, name):
    try:
        with open(os.path.join(d, f"{what}-{name}.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def qemu_version():
    try:
        out = subprocess.run(["qemu-system-aarch64", "--version"], capture_output=True, text=True)
        return out.stdout.split("\n")[0].replace("QEMU emulator version ", "")
    except OSError:
        return "?"


def us(ns):
    return "?" if ns is None else (f"{ns / 1000:,.0f}" if ns >= 10000 else f"{ns / 1000:,.1f}")


def spread(s):
    """median (p25-p75) in microseconds"""
    if not s:
        return "?"
    return f"{us(s['median'])} ({us(s['p25'])}-{us(s['p75'])})"


def ratio(p, b):
    return None if not p or not b else p / b


def fmt_ratio(r):
    return "?" if r is None else f"{r:.2f}"


# A ratio of medians counts as "no regression" when the upper end of its
# 95% bootstrap interval is at most 1 + DELTA.
DELTA = 0.05


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return (xs[n // 2] + xs[(n - 1) // 2]) / 2


def resample(rnd, boots):
    """one hierarchical bootstrap sample: boots with replacement, then the
    samples of each boot drawn with replacement"""
    out = []
    for b in rnd.choices(boots, k=len(boots)):
        out += rnd.choices(b, k=len(b))
    return out


def ratio_ci(p, b, rounds=2000):
    """95% interval of median(p) / median(b) by a bootstrap that resamples
    whole boots, then the samples within each: p and b are lists of the
    samples of each boot (a flat list counts as one boot). None when there
    are fewer than 2 boots or 3 samples of either."""
    p = [x for x in p if x] if p and isinstance(p[0], list) else [p]
    b = [x for x in b if x] if b and isinstance(b[0], list) else [b]
    if sum(map(len, p)) < 3 or sum(map(len, b)) < 3 or min(len(p), len(b)) < 2:
        return None
    rnd = random.Random(1)
    rs = sorted(median(resample(rnd, p)) / median(resample(rnd, b)) for _ in range(rounds))
    return rs[int(0.025 * rounds)], rs[int(0.975 * rounds) - 1]


# How a one-vCPU sample is corrected for the host's speed, from the time of
# demo-init.c's fixed reference work beside it (speed_ref(): user code and
# getppid()). "fast" (what section 12 and the targets use) keeps the
# samples taken while the host ran at its fast speed: those whose getppid()
# reference took at most FAST times the run's 10th percentile of them (the
# host's two speeds are about 1.5x apart). "user", "sys", "user+sys" scale
# each sample by that reference's time instead (scripts/speedref.sh
# compares them all); "none" takes the samples as they are.
REFS = ("none", "user", "sys", "user+sys", "fast")
FAST = 1.25


def fast_limit(refsets):
    """the getppid() reference time under which a sample counts as taken
    at the host's fast speed, from all the refs of a run (lists of boots)"""
    xs = sorted(r[1] for refs in refsets if refs for b in refs for r in b if r)
    return xs[len(xs) // 10] * FAST if xs else None


def corrected(boots, refs, higher, how, limit=None):
    """the samples of each boot at the same host speed (see REFS); None
    without the refs"""
    if how == "none":
        return boots
    if not refs or len(refs) != len(boots) or any(len(a) != len(b) for a, b in zip(boots, refs)):
        return None
    if how == "fast":
        if limit is None:
            return None
        return [[v for v, r in zip(bv, br) if r and r[1] <= limit] for bv, br in zip(boots, refs)]
    pick = {"user": lambda r: r[0], "sys": lambda r: r[1], "user+sys": lambda r: r[0] + r[1]}[how]
    return [[v * pick(r) / 1e6 if higher else v / (pick(r) / 1e6) for v, r in zip(bv, br)]
            for bv, br in zip(boots, refs)]


def _cost(n):
    return lambda b: ((b.get("cost", {}).get(n) or {}).get("pair_boots"),
                      (b.get("cost", {}).get(n) or {}).get("pair_refs"))


def _tput(k):
    return lambda b: (b.get("tput", {}).get(k, {}).get("ops_boots"),
                      b.get("tput", {}).get(k, {}).get("ops_refs"))


def _client(k):
    return lambda b: ((b.get(k) or {}).get("ops_boots"), (b.get(k) or {}).get("ops_refs"))


def _secret(b):
    m = b.get("secretmem") or {}
    return m.get("rest_boots"), m.get("rest_refs")


# The correction of the one-vCPU samples for the host's speed that section
# 12 and the targets use; chosen by scripts/speedref.sh (README).
SPEED_REF = "fast"

# section 12's measures: label, key in report.json, samples and refs of a
# kernel's bench JSON, whether higher is better
MEASURES = [
    ("set_memory_ro+rw, 1 page, time", "cost 1", _cost("1"), False),
    ("set_memory_ro+rw, 16 pages, time", "cost 16", _cost("16"), False),
    ("set_memory_ro+rw, 512 pages, time", "cost 512", _cost("512"), False),
    ("set_memory_ro+rw, 4096 pages, time", "cost 4096", _cost("4096"), False),
    ("set_direct_map pairs/s, 1 thread, shared block", "warm shared 1", _tput("warm shared 1"), True),
    ("set_direct_map pairs/s, 1 thread, separate blocks", "warm separate 1",
     _tput("warm separate 1"), True),
    ("secretmem faults/s (rounds after the first)", "secretmem", _secret, True),
    ("modules loaded+removed/s", "module", _client("module"), True),
    ("BPF programs loaded/s", "bpf", _client("bpf"), True),
]


def measure(b, get, higher, how, limit=None):
    """a kernel's samples of one measure, boot by boot, corrected @how"""
    boots, refs = get(b or {})
    if not boots:
        return None
    return corrected(boots, refs, higher, how, limit)


def run_limit(kernels):
    """fast_limit() over every measure of the bench JSONs @kernels"""
    return fast_limit(get(k or {})[1] for k in kernels for _, _, get, _ in MEASURES)


def flat(boots):
    return [x for b in boots for x in b]


def fmt_ci(r, ci):
    if r is None:
        return "?"
    return f"{r:.2f} ({ci[0]:.2f}-{ci[1]:.2f})" if ci else f"{r:.2f}"


def fmt_ci_lo(r, ci):
    """the ratio and the lower end of its interval, for throughputs"""
    return fmt_ci(r, ci)


class Report:
    def __init__(self, d):
        self.d = d
        self.lines = []
        self.json = {}
        self.lm = {n: load(d, "linmap", n) for n, _ in RUNS}
        self.bench = {n: load(d, "bench", n) for n in ("base", "patched", "patched-nobbml2",
                                                       "patched-nocollapse")}
        self.both = all(self.bench[n] for n in ("base", "patched"))

    def add(self, *lines):
        self.lines.extend(lines)

    def boots(self):
        return max((b or {}).get("boots", 0) for b in self.bench.values())

    def linear_map(self):
        self.add("## 1. BBML2_NOABORT and the linear map right after boot (ptdump)", "",
                 "Descriptors by kind (a contiguous range of 16 counts 16); TLB entries as "
                 "the map needs them at most, a contiguous range counting one.", "",
                 "| kernel | BBML2_NOABORT | " + " | ".join(KINDS) + " | TLB entries | page tables |",
                 "|---" * (len(KINDS) + 4) + "|")
        maps = {}
        for name, label in RUNS:
            r = self.lm[name]
            m = r and r["maps"].get("boot")
            if not m or not m.get("ok"):
                if r is not None or name in ("base", "patched"):
                    self.add(f"| {label} | ? | " + " | ".join("?" for _ in KINDS) + " | ? | ? |")
                continue
            maps[name] = m
            self.add(f"| {label} | {'yes' if r['bbml2'] else 'no'} | "
                     + " | ".join(f"{m['leaves'][k]:,}" for k in KINDS)
                     + f" | {m['tlb_entries']:,} | {m['table_bytes'] // 1024:,} KiB |")
        s = {}
        if all(k in maps for k in ("base", "patched", "limit")):
            b, p, lim = maps["base"], maps["patched"], maps["limit"]
            s = {"tables_patched_minus_limit_kib": (p["table_bytes"] - lim["table_bytes"]) // 1024,
                 "tlb_patched_over_limit": round(p["tlb_entries"] / max(lim["tlb_entries"], 1), 2),
                 "tables_base_over_patched": round(b["table_bytes"] / max(p["table_bytes"], 1), 1),
                 "tlb_base_over_patched": round(b["tlb_entries"] / max(p["tlb_entries"], 1), 1)}
            self.add("", f"Patched vs limit: {s['tables_patched_minus_limit_kib']:+,} KiB of page tables, "
                     f"{s['tlb_patched_over_limit']}x the TLB entries. Base vs patched: "
                     f"{s['tables_base_over_patched']}x the page-table bytes, "
                     f"{s['tlb_base_over_patched']}x the TLB entries.")
        self.json["linear_map"] = {"summary": s, "runs": {n: (self.lm[n] or {}).get("maps", {}).get("boot")
                                                          for n, _ in RUNS}}

    def meminfo(self):
        self.add("", "## 2. /proc/meminfo DirectMap lines", "")
        rows = []
        for name in ("base", "patched", "patched-nobbml2", "limit"):
            r = self.lm[name]
            for when in ("boot", "after"):
                m = r and r["maps"].get(when)
                if m:
                    rows.append((f"{name}, {'after boot' if when == 'boot' else 'after the benchmarks'}",
                                 m["meminfo"]))
        keys = sorted({k for _, mi in rows for k in mi if k.startswith("DirectMap")},
                      key=lambda k: int(k[9:-1]) << {"k": 10, "M": 20, "G": 30}[k[-1]])
        if not keys:
            self.add("No DirectMap lines in any kernel's /proc/meminfo.")
            return
        self.add("| kernel | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|")
        for label, mi in rows:
            self.add(f"| {label} | " + " | ".join(mi.get(k, "none") for k in keys) + " |")
        self.add("", "6.12 has no arm64 arch_report_meminfo(): base shows no DirectMap lines.")
        self.json["meminfo"] = {label: mi for label, mi in rows}

    def cost(self):
        self.add("", "## 3. Permission-change cost: set_memory_ro + set_memory_rw on vmalloc areas", "",
                 "Guest time per call in microseconds, median (p25-p75) of n calls on one area; "
                 "ratio = patched / base of the medians, with its 95% interval (a bootstrap "
                 "that resamples whole boots, then the calls within each; 3 areas a boot, "
                 "each with its own pages). "
                 f"No regression when the interval's upper end is at most {1 + DELTA:.2f}; "
                 "no difference shown when the interval holds 1.0 but reaches higher; a "
                 "regression when all of it is above 1.0.", "",
                 "The last column is the same code with arm64.nobbml2, whose linear map is "
                 "all PTEs as base's is (section 8 measures what the block map costs under "
                 "TCG).", "",
                 "| pages | n | base ro | patched ro | ratio | base rw | patched rw | ratio | "
                 "ro+rw ratio (95% interval) | no regression | ro+rw ratio, nobbml2 |",
                 "|---|---|---|---|---|---|---|---|---|---|---|")
        b, p = (self.bench[n] or {} for n in ("base", "patched"))
        nb = self.bench["patched-nobbml2"] or {}
        out = {}
        for n in ("1", "16", "512", "4096"):
            cb, cp = b.get("cost", {}).get(n), p.get("cost", {}).get(n)
            if not cb or not cp:
                self.add(f"| {n} | ? | ? | ? | ? | ? | ? | ? | ? | ? | ? | ? |")
                continue
            cn = nb.get("cost", {}).get(n)
            rn = ratio(cn["pair"]["median"], cb["pair"]["median"]) if cn else None
            cin = ratio_ci(cn["pair_boots"], cb["pair_boots"]) if cn else None
            rr = ratio(cp["ro"]["median"], cb["ro"]["median"])
            rw = ratio(cp["rw"]["median"], cb["rw"]["median"])
            rp = ratio(cp["pair"]["median"], cb["pair"]["median"])
            ci = ratio_ci(cp["pair_boots"], cb["pair_boots"])
            failed = any(c[k] for c in (cb, cp) for k in ("ro_ret", "rw_ret"))
            ok = ci is not None and ci[1] <= 1.0 + DELTA and not failed
            out[n] = {"ro_ratio": rr, "rw_ratio": rw, "pair_ratio": rp, "pair_ratio_ci95": ci,
                      "no_regression": ok, "base": cb, "patched": cp}
            cis = f"{rp:.2f} ({ci[0]:.2f}-{ci[1]:.2f})" if ci else fmt_ratio(rp)
            if failed:
                verdict = "calls FAILED"
            elif ci is None:
                verdict = "too few samples"
            elif ok:
                verdict = "yes"
            elif ci[0] <= 1.0:
                verdict = "no difference shown"
            else:
                verdict = "NO"
            self.add(f"| {n} | {cp['pair']['n']} | {spread(cb['ro'])} | {spread(cp['ro'])} | {fmt_ratio(rr)} | "
                     f"{spread(cb['rw'])} | {spread(cp['rw'])} | {fmt_ratio(rw)} | {cis} | {verdict} | "
                     f"{fmt_ci(rn, cin)} |")
            out[n]["nobbml2_pair_ratio"] = rn
            out[n]["nobbml2_pair_ratio_ci95"] = cin
        checks = [n for n, c in out.items()
                  if not (c["patched"]["writes_fault_when_ro"] and c["patched"]["writable_after"]
                          and c["base"]["writes_fault_when_ro"] and c["base"]["writable_after"])]
        if out:
            self.add("", "Each kernel's first read-only call was checked through the MMU: a write "
                     "to the first and last byte faults while read-only and works again after "
                     "set_memory_rw: " + ("passed on both kernels." if not checks else
                                          "FAILED for " + ", ".join(checks) + " pages."))
        if out:
            firsts = ", ".join(f"{n}: {us(c['base']['first']['median'])} / {us(c['patched']['first']['median'])}"
                               for n, c in out.items())
            self.add("", f"First call of each area (ro+rw, us, base / patched, median over the boots; "
                     f"left out of the table), where the patched kernel may first split the linear "
                     f"alias of the area's pages: {firsts}.")
        self.json["cost"] = out

    def huge(self):
        self.add("", "## 4. vmalloc_huge(): set_memory_ro on huge areas", "",
                 "| area | kernel | set_memory_ro | leaves | leaves read-only after it | "
                 "writes fault | ro+rw, us, median |",
                 "|---|---|---|---|---|---|---|")
        out = {}
        for pages, label in (("512", "2 MiB"), ("16384", "64 MiB")):
            for name in ("base", "patched"):
                h = (self.bench[name] or {}).get("huge", {}).get(pages)
                if not h:
                    self.add(f"| {label} | {name} | ? | ? | ? | ? | ? |")
                    continue
                lv = ", ".join(f"{v} {k}" for k, v in h["leaves"].items())
                ret = "0 (ok)" if h["ro_ret"] == 0 else f"{h['ro_ret']} (fails)"
                self.add(f"| {label} | {name} | {ret} | {lv} | {h['ro_leaves']} | "
                         f"{'yes' if h['writes_fault_when_ro'] else 'no'} | {spread(h['pair'])} |")
                out.setdefault(label, {})[name] = h
        for label, kernels in out.items():
            for name, h in kernels.items():
                pmd = h["leaves"].get("PMD", 0)
                if h["ro_ret"] == 0 and pmd and h["ro_leaves"] == pmd == h["leaves_ro"].get("PMD"):
                    what = (f"{name}: set_memory_ro succeeds on the {label} area and changes each of "
                            f"its {pmd} PMD leaves in place, none split")
                elif h["ro_ret"]:
                    what = f"{name}: set_memory_ro fails ({h['ro_ret']}) on the {label} area"
                else:
                    what = f"{name}: the {label} area was mapped with {h['leaves']}"
                what += (", and writes fault while it is read-only." if h["writes_fault_when_ro"]
                         else ", and writes do NOT fault." if h["ro_ret"] == 0 else ".")
                self.add("", what)
        kept = {n: (self.bench[n] or {}).get("kept", []) for n in ("base", "patched")}
        for name, pages in kept.items():
            if pages:
                self.add("", f"{name}: set_memory_rw failed as well on {len(pages)} of these areas "
                         "(over all boots); the benchmark keeps such an area rather than free "
                         "memory whose linear alias may be left read-only.")
        if out:
            self.add("", "With rodata=full both kernels also change the linear alias of every "
                     "page of the area, one page at a time, which is where most of the time "
                     "goes; 6.12 does that before it meets the PMD leaf and gives up, with a "
                     "WARN, leaving the alias read-only until set_memory_rw.")
        self.json["huge"] = out

    def splits(self):
        self.add("", "## 5. Splits and set_direct_map_* throughput", "",
                 "One page taken out of a linear map leaf of each kind "
                 "(set_direct_map_invalid_noflush), patched kernel; base 6.12 has no "
                 "leaves to split (all PTEs).", "",
                 "| leaf split | samples | new page-table pages | split + change, us, median (range) | "
                 "the same change again, us |", "|---|---|---|---|---|")
        p = self.bench["patched"] or {}
        out = {}
        for key, label in SPLIT_KINDS:
            s = p.get("split", {}).get(key)
            if not s or not s["samples"]:
                self.add(f"| {label} | 0 | - | - | - |")
                continue
            f, a = s["first"], s["again"]
            self.add(f"| {label} | {f['n']} | {', '.join(map(str, s['new_tables']))} | "
                     f"{us(f['median'])} ({us(f['min'])}-{us(f['max'])}) | {us(a['median'])} |")
            out[key] = s
        self.json["split"] = out

        cores = os.cpu_count()
        self.add("", "Throughput of set_direct_map_invalid_noflush + set_direct_map_default_noflush "
                 "on 128 pages per thread, threads bound to vCPUs 0..N-1. *warm*: the pages' "
                 "leaves were split before the clock started (20 rounds); *cold*: fresh 2 MiB "
                 "blocks, the first touch splits (1 round). *shared*: all threads in one 2 MiB "
                 "block; *separate*: a block each. Operations per second, median of the runs "
                 "(p25-p75).", "",
                 "| mode | layout | threads | runs | base ops/s | patched ops/s | patched/base (95%) | "
                 "nobbml2/base (95%) | base scaling | patched scaling | patched: new tables, fresh blocks in large leaves |",
                 "|---|---|---|---|---|---|---|---|---|---|---|")
        b = self.bench["base"] or {}
        tput = {}
        for mode in ("warm", "cold"):
            for layout in ("shared", "separate"):
                one = {}
                for t in ("1", "2", "4"):
                    key = f"{mode} {layout} {t}"
                    tb, tp = b.get("tput", {}).get(key), p.get("tput", {}).get(key)
                    if not tb or not tp or not tb.get("stats") or not tp.get("stats"):
                        self.add(f"| {mode} | {layout} | {t} | ? | ? | ? | ? | ? | ? | ? | ? |")
                        continue
                    tn = (self.bench["patched-nobbml2"] or {}).get("tput", {}).get(key)
                    rn = tn["stats"]["median"] / tb["stats"]["median"] if tn and tn.get("stats") else None
                    cin = ratio_ci(tn["ops_boots"], tb["ops_boots"]) if rn else None
                    cip = ratio_ci(tp["ops_boots"], tb["ops_boots"])
                    sb, sp = tb["stats"], tp["stats"]
                    if t == "1":
                        one = {"base": sb["median"], "patched": sp["median"]}
                    scb = sb["median"] / one["base"] if one else None
                    scp = sp["median"] / one["patched"] if one else None
                    tput[key] = {"base": sb, "patched": sp, "ratio": sp["median"] / sb["median"],
                                 "ratio_ci95": cip, "nobbml2_ratio": rn, "nobbml2_ratio_ci95": cin,
                                 "base_scaling": scb, "patched_scaling": scp,
                                 "patched_new_tables": tp["new_tables"]}
                    fresh = f", {tp['in_leaves']}/{tp['blocks']}" if mode == "cold" else ""
                    self.add(f"| {mode} | {layout} | {t} | {sp['n']} | {sb['median']:,.0f} ({sb['p25']:,.0f}-{sb['p75']:,.0f}) | "
                             f"{sp['median']:,.0f} ({sp['p25']:,.0f}-{sp['p75']:,.0f}) | "
                             f"{fmt_ci(sp['median'] / sb['median'], cip)} | {fmt_ci(rn, cin)} | {fmt_ratio(scb)}x | {fmt_ratio(scp)}x | "
                             f"{max(tp['new_tables'])} max{fresh} |")
        w4 = tput.get("warm separate 4")
        w2 = tput.get("warm separate 2")
        if w4 and w2:
            self.add("", f"With no split needed (warm, separate blocks), 2 threads reach "
                     f"{w2['patched_scaling']:.2f}x one thread on the patched kernel "
                     f"({w2['base_scaling']:.2f}x on base) and 4 threads {w4['patched_scaling']:.2f}x "
                     f"({w4['base_scaling']:.2f}x on base). The goal was 3x for 4 threads; this host has "
                     f"{cores} cores and QEMU TCG runs each vCPU in a host thread, so {cores}x is the "
                     f"ceiling here for any kernel: 4 threads reach "
                     f"{w4['patched_scaling'] / cores:.0%} of it on the patched kernel, "
                     f"{w4['base_scaling'] / cores:.0%} on base.")
        self.json["tput"] = tput
        self.json["host_cores"] = cores

    def clients(self):
        self.add("", "## 6. Real clients", "",
                 "secretmem: 4,096 pages a round, each fault takes its page out of the linear "
                 "map and flushes the TLB, closing puts them back (first round of each boot "
                 "apart: it may split). Module: the kernel's test_module loaded with "
                 "finit_module() and removed with delete_module(), 20 a round: module text "
                 "is made read-only and executable, its linear alias too, and freed with "
                 "VM_FLUSH_RESET_PERMS. BPF: a two-instruction socket filter loaded through "
                 "bpf() (JIT on, as Debian has it) and closed, 200 a round, with one more "
                 "program loaded throughout (its JIT pack stays). Operations per "
                 "second, median of the rounds of all boots (p25-p75); ratios to base with "
                 "their 95% interval (whole boots resampled).", "",
                 "| kernel | memfd_secret selftest | W+X check at boot | secretmem faults/s, first round | "
                 "secretmem faults/s, other rounds | vs base | modules loaded+removed/s | vs base | "
                 "BPF programs loaded/s | vs base |",
                 "|---|---|---|---|---|---|---|---|---|---|")
        out = {}
        base = self.bench["base"] or {}

        def rate(c):
            st = c and c.get("stats")
            return f"{st['median']:,.0f} ({st['p25']:,.0f}-{st['p75']:,.0f})" if st else "?"

        def vs(c, cb):
            if not c or not cb or not c.get("stats") or not cb.get("stats"):
                return None, None
            return c["stats"]["median"] / cb["stats"]["median"], ratio_ci(c["ops_boots"], cb["ops_boots"])

        for name in ("base", "patched", "patched-nobbml2"):
            bn, lm = self.bench[name] or {}, self.lm[name] or {}
            if not self.bench[name]:
                continue
            st, sm = bn.get("selftest"), bn.get("secretmem")
            verdict = (f"{st['pass']} passed, {st['fail']} failed, {st['skip']} skipped "
                       f"over {st['runs']} boots, exit {st['exit']}") if st else "not run"
            row = {"selftest": st, "secretmem": sm, "wx": lm.get("wx")}
            sb = base.get("secretmem")
            if sm:
                r = sm["rest"]
                fault = f"{sm['first']['median']:,.0f} | {r['median']:,.0f} ({r['p25']:,.0f}-{r['p75']:,.0f})"
                if name != "base" and sb:
                    row["secretmem_ratio"] = r["median"] / sb["rest"]["median"]
                    row["secretmem_ratio_ci95"] = ratio_ci(sm["rest_boots"], sb["rest_boots"])
                    fault += f" | {fmt_ci(row['secretmem_ratio'], row['secretmem_ratio_ci95'])}"
                else:
                    fault += " | -"
            else:
                fault = "? | ? | ?"
            cells = []
            for k in ("module", "bpf"):
                r_, ci = vs(bn.get(k), base.get(k)) if name != "base" else (None, None)
                row[k] = bn.get(k, {}).get("stats")
                row[k + "_ratio"], row[k + "_ratio_ci95"] = r_, ci
                cells.append(f"{rate(bn.get(k))} | {fmt_ci(r_, ci) if name != 'base' else '-'}")
            self.add(f"| {name} | {verdict} | {lm.get('wx', '?')} | {fault} | " + " | ".join(cells) + " |")
            out[name] = row
        b = (base.get("bpf") or {}).get("stats")
        if b:
            self.add("", f"BPF loads/s vary {b['p75'] / b['p25']:.1f}x between the quartiles of base's "
                     "own rounds, in every kernel; its ratios "
                     "carry wide intervals here.")
        self.json["clients"] = out

    def steps(self):
        self.add("", "## 7. Where the time of a single-page change goes", "",
                 "In each kernel, on one page whose leaf is already split, guest ns per "
                 "operation (median of 5 runs of 400 a boot, all boots; ratio to base with "
                 "its 95% interval): *pair*: set_direct_map_invalid_noflush() + "
                 "set_direct_map_default_noflush(); *6.12's pair*: the same two changes done "
                 "the way 6.12 does them (apply_to_page_range() and a callback), run in this "
                 "kernel; *flush*: flush_tlb_kernel_range() of the page; *check*: the series' "
                 "kernel_range_cuts_leaf() for the page, twice; *walk*: the series' "
                 "kernel_leaf_walk() to the PTE, twice; *secretmem step*: invalid, flush, "
                 "default, as a secretmem fault and its release do; *set_memory ro+rw*: on a "
                 "one-page vmalloc area; *vm_unmap_aliases x2*: what both kernels call once "
                 "per set_memory_*() call, alone.", "",
                 "| kernel | pair | 6.12's pair | flush | check x2 | walk x2 | secretmem step | "
                 "set_memory ro+rw | vm_unmap_aliases x2 |",
                 "|---|---|---|---|---|---|---|---|---|")
        keys = ["pair_ns", "apply_pair_ns", "flush_ns", "check_pair_ns", "walk_pair_ns", "secret_ns",
                "ro_rw_ns", "unmap_aliases_ns"]
        out = {}
        base = (self.bench["base"] or {}).get("steps", {})
        for name in ("base", "patched", "patched-nobbml2"):
            st = (self.bench[name] or {}).get("steps")
            if not st:
                continue
            cells, row = [], {}
            for k in keys:
                boots = st.get(k)
                if not boots or not flat(boots) or (name != "base" and k in ("check_pair_ns", "walk_pair_ns")
                                                    and median(flat(boots)) == 0) or \
                        (name == "base" and k in ("check_pair_ns", "walk_pair_ns")):
                    cells.append("-")
                    continue
                m = median(flat(boots))
                row[k] = m
                if name != "base" and base.get(k) and k not in ("check_pair_ns", "walk_pair_ns"):
                    r_ = m / median(flat(base[k]))
                    ci = ratio_ci(boots, base[k])
                    row[k + "_ratio"], row[k + "_ratio_ci95"] = r_, ci
                    cells.append(f"{m:,.0f} ({fmt_ci(r_, ci)})")
                else:
                    cells.append(f"{m:,.0f}")
            self.add(f"| {name} | " + " | ".join(cells) + " |")
            out[name] = row
        self.json["steps"] = out

    def kfence(self):
        self.add("", "## 9. KFENCE switched on at run time", "",
                 "Debian builds KFENCE in with a sample interval of 0: off at boot. After the "
                 "benchmarks, /init writes 100 to /sys/module/kfence/parameters/sample_interval, "
                 "which allocates the 2 MiB pool late and maps it with pages (in the patched "
                 "kernel: splits the leaves around it). Leaves of the pool, and of the whole "
                 "linear map (ptdump) just before and just after, first boot of each kernel.", "",
                 "| kernel | pool leaves before | pool leaves after | linear map before | linear map after | "
                 "page tables before | after |", "|---|---|---|---|---|---|---|")
        out = {}
        for name in ("base", "patched", "patched-nobbml2"):
            bn, lm = self.bench[name] or {}, self.lm[name] or {}
            kf = bn.get("kfence") or []
            mb, ma = (lm.get("maps", {}).get(w) for w in ("kfence-before", "kfence-after"))
            if not kf or not mb or not ma:
                continue
            first = kf[0]
            before, after = first[0], first[-1]

            def lv(x):
                return ", ".join(f"{n:,} {k}" for k, n in x.items() if n) or "none"

            pool_b = "no pool" if not before["pool"] else lv(before["leaves"])
            pool_a = "no pool" if not after["pool"] else lv(after["leaves"])
            self.add(f"| {name} | {pool_b} | {pool_a} | {lv(mb['leaves'])} | {lv(ma['leaves'])} | "
                     f"{mb['table_bytes'] // 1024:,} KiB | {ma['table_bytes'] // 1024:,} KiB |")
            out[name] = {"pool_before": before, "pool_after": after, "map_before": mb["leaves"],
                         "map_after": ma["leaves"], "tables_before": mb["table_bytes"],
                         "tables_after": ma["table_bytes"]}
        if not out:
            self.add("| ? | no KFENCE data | | | | | |")
        self.json["kfence"] = out

    def flavours(self):
        extra = [f for f in os.environ.get("DEMO_FLAVOURS", "").split() if f][1:]
        for f in extra:
            runs = [(f"{f}-patched", "patched, rodata=full"),
                    (f"{f}-patched-nobbml2", "patched, rodata=full, arm64.nobbml2"),
                    (f"{f}-limit", "patched, rodata=off (limit)")]
            lms = {n: load(self.d, "linmap", n) for n, _ in runs}
            kinds = next((x["kinds"] for x in lms.values() if x), None)
            if not kinds:
                continue
            self.add("", f"## 10. The {f} flavour: the linear map after boot", "",
                     f"Debian's {f} config ({lms[runs[0][0]]['page_kib']}K pages), the patched "
                     "kernel only (a second, shorter run: one boot each).", "",
                     "| kernel | BBML2_NOABORT | " + " | ".join(kinds) + " | TLB entries | page tables | "
                     + " | ".join(["DirectMap lines"]) + " |",
                     "|---" * (len(kinds) + 5) + "|")
            maps = {}
            for n, label in runs:
                r = lms[n]
                m = r and r["maps"].get("boot")
                if not m or not m.get("ok"):
                    self.add(f"| {label} | ? |" + " ? |" * (len(kinds) + 3))
                    continue
                maps[n] = m
                dm = ", ".join(f"{k[9:]} {v}" for k, v in m["meminfo"].items() if k.startswith("DirectMap"))
                self.add(f"| {label} | {'yes' if r['bbml2'] else 'no'} | "
                         + " | ".join(f"{m['leaves'][k]:,}" for k in kinds)
                         + f" | {m['tlb_entries']:,} | {m['table_bytes'] // 1024:,} KiB | {dm} |")
            p, lim = maps.get(f"{f}-patched"), maps.get(f"{f}-limit")
            if p and lim:
                d = (p["table_bytes"] - lim["table_bytes"]) // 1024
                self.add("", f"Patched vs limit: {d:+,} KiB of page tables, "
                         f"{p['tlb_entries'] / max(lim['tlb_entries'], 1):.2f}x the TLB entries.")
                self.json.setdefault("flavours", {})[f] = {
                    "tables_patched_minus_limit_kib": d, "maps": maps}

    def tcg_tlb(self):
        """the block map's cost under TCG: the same code, only the map differs"""
        p, n = self.bench["patched"] or {}, self.bench["patched-nobbml2"] or {}
        if not p or not n:
            return
        self.add("", "## 8. What the block map costs under TCG (experiment)", "",
                 "The same patched kernel booted twice over: with its block-mapped linear map, "
                 "and with arm64.nobbml2, which maps it with PTEs as 6.12 does. The code is the "
                 "same (but for the check of a contiguous range: 16 entries with blocks, the "
                 "page's own entry without), so the ratio is what the block map costs here. "
                 "QEMU's software TLB records the range that large pages span, and a TLBI by "
                 "address inside that range flushes the vCPU's whole TLB "
                 "(tlb_flush_page_locked() in accel/tcg/cputlb.c): every single-page flush "
                 "of the linear map is then a full flush, and everything after it walks the "
                 "tables again. Hardware TLBs invalidate the one entry.", "",
                 "| measure | blocks / PTEs, same code (95% interval) |", "|---|---|")
        rows = {}

        def add(label, a, b, higher_better):
            if not a or not b:
                return
            r_ = median(flat(a)) / median(flat(b))
            ci = ratio_ci(a, b)
            rows[label] = {"ratio": r_, "ci95": ci, "higher_better": higher_better}
            self.add(f"| {label} | {fmt_ci(r_, ci)} |")

        ps, ns = p.get("steps", {}), n.get("steps", {})
        add("one-page TLB flush, time", ps.get("flush_ns"), ns.get("flush_ns"), False)
        add("secretmem step (invalid, flush, default), time", ps.get("secret_ns"), ns.get("secret_ns"), False)
        add("set_direct_map pair, no flush, time", ps.get("pair_ns"), ns.get("pair_ns"), False)
        add("set_memory_ro + set_memory_rw, one-page area, time", ps.get("ro_rw_ns"), ns.get("ro_rw_ns"), False)
        for key in ("warm shared 1", "warm separate 1"):
            a, b = p.get("tput", {}).get(key), n.get("tput", {}).get(key)
            if a and b:
                add(f"set_direct_map pairs/s, {key.split()[1]} block, 1 thread", a["ops_boots"], b["ops_boots"], True)
        a, b = p.get("secretmem"), n.get("secretmem")
        if a and b:
            add("secretmem faults/s", a["rest_boots"], b["rest_boots"], True)
        for k in ("module", "bpf"):
            a, b = p.get(k), n.get(k)
            if a and b:
                add(f"{k} loads/s", a["ops_boots"], b["ops_boots"], True)
        self.json["tcg_tlb"] = rows

    def single(self):
        """the single-thread costs and clients again, each kernel booted with one vCPU"""
        sb = {n: load(self.d, "bench", "single-" + n) for n in ("base", "patched", "patched-nobbml2",
                                                                "patched-nocollapse")}
        if not sb["base"]:
            return
        limit = run_limit(sb.values())
        kept = []
        for n, b in sb.items():
            all_ = [x for _, _, get, hi in MEASURES for bb in (measure(b, get, hi, "none") or []) for x in bb]
            fast = [x for _, _, get, hi in MEASURES
                    for bb in (measure(b, get, hi, SPEED_REF, limit) or []) for x in bb]
            if all_:
                kept.append(f"{n} {len(fast)} of {len(all_)}")
        kept = ", ".join(kept)
        self.add("", "## 12. One vCPU: the single-thread costs without TCG's cross-vCPU TLB "
                 "synchronisation", "",
                 "QEMU TCG emulates a broadcast TLBI (TLBI ...IS) by stopping every vCPU and "
                 "flushing each one's soft TLB. With 4 vCPUs on this host's 2 cores that wait "
                 "is most of a single-page change and varies with whatever the other vCPUs "
                 "do. Experiment (demo.mode=micro, 3 boots of each kernel, 700 calls a boot): "
                 "a 1-page set_memory_ro+rw pair took 56-82 us (median of a boot) with 4 "
                 "vCPUs, its quartiles 40-55% of the median apart; with 1 vCPU 10.7-11.2 us, "
                 "quartiles 1-2% apart, boot medians within 2%. So the same benchmarks and "
                 "clients run again with -smp 1, "
                 f"{self.single_boots(sb['base'])} boots of each kernel, alternating: what is "
                 "left is the kernels' own code (and TCG's soft TLB with the block map, "
                 "section 8). The clients take more rounds here than with 4 vCPUs: "
                 "secretmem 11 a boot (the first, which may split, left out), module "
                 "loads 7 of 20, BPF loads 21 of 200.", "",
                 "The host runs a whole boot, and at times part of one, at one of two speeds "
                 "about 1.5x apart, whatever the kernel, and which speed a boot gets swamps "
                 "the difference between the kernels. So /init times a fixed piece of work "
                 "right before every sample and after the last one (speed_ref() in "
                 "tools/demo-init.c: user code over 64 KiB, and getppid(), at SCHED_FIFO so that no kworker runs inside it), and the table "
                 "compares the kernels at the same host speed: it keeps the samples whose "
                 f"getppid() reference took at most {FAST} times the run's 10th percentile of "
                 "them (the host's fast speed), then medians and intervals as everywhere. The "
                 "choice was made by an experiment before these boots (scripts/speedref.sh, "
                 "README); the same ratios with every sample follow the table." +
                 (f" Samples kept: {kept}." if kept else ""), "",
                 "*blocks / PTEs*: the patched kernel with its block map over the same kernel "
                 "with arm64.nobbml2 (the same code, a linear map of PTEs as base's): what "
                 "TCG's soft TLB makes of the block map, at one vCPU (section 8 has it at four). "
                 "*collapse on / off*: the patched kernel with the collapse of the linear map on "
                 "(the default) over the same kernel with sysctl.vm.linear_map_collapse=0: what "
                 "healing costs the single-page paths.", "",
                 "| measure | base 6.12 | patched (block map) / base (95%) | "
                 "patched, arm64.nobbml2 / base (95%) | blocks / PTEs, same code (95%) | "
                 "collapse on / off (95%) |",
                 "|---|---|---|---|---|---|")
        out, raw_rows = {}, []
        pairs = (("patched", "base"), ("patched-nobbml2", "base"),
                 ("patched", "patched-nobbml2"), ("patched", "patched-nocollapse"))
        keys = ("patched", "patched-nobbml2", "blocks_ptes", "collapse_on_off")
        fmts = {"cost": ("us", us), "module": ("/s", lambda x: f"{x:,.1f}")}
        for label, key, get, higher in MEASURES:
            raw_b = measure(sb["base"], get, higher, "none")
            if not raw_b:
                continue
            res, cells, raws = {"base": median(flat(raw_b))}, [], []
            for k, (pn, bn) in zip(keys, pairs):
                got = []
                for how in (SPEED_REF, "none"):
                    p_, b_ = (measure(sb[pn], get, higher, how, limit),
                              measure(sb[bn], get, higher, how, limit))
                    if not p_ or not b_ or not flat(p_) or not flat(b_):
                        got.append(None)
                        continue
                    got.append({"ratio": median(flat(p_)) / median(flat(b_)), "ci95": ratio_ci(p_, b_)})
                if got[0]:
                    res[k] = got[0]
                if got[1]:
                    res[k + " raw"] = got[1]
                cells.append(fmt_ci(got[0]["ratio"], got[0]["ci95"]) if got[0] else "?")
                raws.append(fmt_ci(got[1]["ratio"], got[1]["ci95"]) if got[1] else "?")
            u, f_ = fmts.get(key.split()[0], ("/s", lambda x: f"{x:,.0f}"))
            out[key] = res
            self.add(f"| {label} | {f_(res['base'])} {u} | " + " | ".join(cells) + " |")
            raw_rows.append(f"| {label} | " + " | ".join(raws) + " |")
        self.add("", "The same ratios as measured, without the correction for the host's speed:", "",
                 "| measure | patched / base | nobbml2 / base | blocks / PTEs | collapse on / off |",
                 "|---|---|---|---|---|", *raw_rows)
        # base against itself: its odd boots over its even ones, compared
        # as the table compares two kernels: how finely these boots tell
        halves = [load(self.d, "bench", "single-base-" + h) for h in ("odd", "even")]
        rows = []
        if all(halves):
            for label, key, get, higher in MEASURES:
                a, b = (measure(h, get, higher, SPEED_REF, limit) for h in halves)
                if not a or not b or not flat(a) or not flat(b):
                    continue
                aa = {"ratio": median(flat(a)) / median(flat(b)), "ci95": ratio_ci(a, b)}
                out.setdefault(key, {})["base_aa"] = aa
                rows.append(f"| {label} | {fmt_ci(aa['ratio'], aa['ci95'])}" +
                            ("" if aa["ci95"] else " (no interval: samples at the host's fast "
                             "speed in fewer than 2 boots of a half)") + " |")
        if rows:
            self.add("", "What these boots can tell apart: base against itself, its odd boots "
                     f"over its even ones ({halves[0].get('boots', '?')} against "
                     f"{halves[1].get('boots', '?')}), with the same correction and bootstrap. "
                     "Two runs of one kernel differ by this much by chance; a difference "
                     "between kernels inside it is not resolved here. (The intervals above "
                     "pool twice the boots of each side; if boots vary alike, expect them "
                     "narrower by about the square root of 2: an expectation, not measured.)",
                     "",
                     "| measure | base (odd boots) / base (even boots) (95%) |", "|---|---|", *rows)
        # the collapse worker's CPU time inside each pairs sample (debugfs)
        wk = {}
        for kind in ("shared", "separate"):
            s_ = (sb["patched"] or {}).get("worker", {}).get("tput-" + kind)
            if not s_:
                continue
            cpu, wall = sum(c for c, _ in s_), sum(w for _, w in s_)
            hit = sum(1 for c, _ in s_ if c)
            wk[kind] = {"cpu_us": cpu, "wall_us": wall, "samples": len(s_), "with_worker": hit}
        if wk:
            self.add("", "The collapse worker's CPU time inside the patched kernel's one-vCPU pairs "
                     "samples (collapse on; read from debugfs before and after each sample, so "
                     "a pass is counted where it ends): " +
                     "; ".join(f"{k}: {v['cpu_us'] / 1000:.1f} ms in {v['wall_us'] / 1000:.0f} ms of "
                               f"samples ({100 * v['cpu_us'] / max(v['wall_us'], 1):.1f}%), a pass "
                               f"in {v['with_worker']} of {v['samples']} samples"
                               for k, v in wk.items()) + ".")
            out["worker_in_pairs"] = wk
        # collapse on / off within each boot (demo.toggle=1; tools/toggle.py)
        try:
            with open(os.path.join(self.d, "toggle.json")) as f:
                tg = json.load(f)
        except (OSError, ValueError):
            tg = {}
        raw = tg.pop("raw", {}) if tg else {}
        if tg:
            names = {"shared": "pairs, shared block", "separate": "pairs, separate blocks",
                     "secretmem": "secretmem faults"}
            self.add("", "Collapse on / off paired within each boot: the patched kernel booted with "
                     "one vCPU and demo.toggle=2 (=1 in the smoke run), its /init switching vm.linear_map_collapse "
                     "between pairs samples (on, off, off, on, 8 samples of each state and "
                     "layout), then between secretmem rounds (after a first round that may split; "
                     "16 rounds in each state, in the same order), so that both states run at "
                     "whatever speed the host gives that boot; only the samples at the host's "
                     "fast speed count, as above; each boot's ratio is median(on) / median(off) of its "
                     "own samples, the interval resamples whole boots, then samples. The column "
                     "above compares different boots; the targets take this one: " +
                     "; ".join(f"{names.get(lay, lay)} {fmt_ci(x['ratio'], x['ci95'])} over "
                               f"{x['boots']} boots" + (f" ({fmt_ci(raw[lay]['ratio'], raw[lay]['ci95'])} "
                                                        "uncorrected)" if lay in raw else "")
                               for lay, x in tg.items()) + ".")
            for lay, x in tg.items():
                out["toggle " + lay] = {"collapse_on_off": {"ratio": x["ratio"], "ci95": x["ci95"]}}
                if lay in raw:
                    out["toggle " + lay]["collapse_on_off raw"] = {"ratio": raw[lay]["ratio"],
                                                                   "ci95": raw[lay]["ci95"]}
        self.json["single_vcpu"] = out

    def icount(self):
        """the one-vCPU suite again under QEMU -icount: instructions"""
        ib = {n: load(self.d, "bench", "icount-" + n) for n in ("base", "patched", "patched-nobbml2",
                                                                "patched-nocollapse")}
        if not ib["base"]:
            return
        self.add("", "## 14. Instructions: one vCPU under QEMU -icount", "",
                 "The suite of section 12 again, in "
                 f"{self.single_boots(ib['base'])} boots of each kernel under QEMU "
                 "-icount shift=0,sleep=off: the guest's clock advances 1 ns for each "
                 "instruction the guest executes, whatever the host does, and jumps to the next "
                 "timer when the guest idles. So these times count the instructions of each "
                 "kernel's code, its walks, barriers and TLBIs at one instruction each, and "
                 "nothing of TCG's soft TLB or of the host's speed: what the kernels' own code "
                 "costs, apart from what the MMU and the TLB make of it. /init sleeps 2 s "
                 "(guest time, no host time) before each part (demo.settle=2), so that what the "
                 "part before left to workers and timers (frees, vmap purges, the collapse "
                 "worker) ends before the clock starts: without it, the first secretmem rounds "
                 "shared the CPU with that work, a varying share of them (experiment, "
                 "2026-12-02: rounds took 42-46 ms, then 22 ms, with the switch after round 4 "
                 "to 6 by boot; with the sleep, all 22 ms). No correction for the host's speed: "
                 "none is needed.", "",
                 "*blocks / PTEs* here is what the block map costs in instructions, the same "
                 "code; beside section 12's, in time, it tells how much of that is TCG's soft "
                 "TLB.", "",
                 "| measure | base 6.12 | patched (block map) / base (95%) | "
                 "patched, arm64.nobbml2 / base (95%) | blocks / PTEs, same code (95%) | "
                 "collapse on / off (95%) |",
                 "|---|---|---|---|---|---|")
        out = {}
        pairs = (("patched", "base"), ("patched-nobbml2", "base"),
                 ("patched", "patched-nobbml2"), ("patched", "patched-nocollapse"))
        keys = ("patched", "patched-nobbml2", "blocks_ptes", "collapse_on_off")
        for label, key, get, higher in MEASURES:
            raw_b = measure(ib["base"], get, higher, "none")
            if not raw_b or not flat(raw_b):
                continue
            res, cells = {"base": median(flat(raw_b))}, []
            for k, (pn, bn) in zip(keys, pairs):
                p_, b_ = measure(ib[pn], get, higher, "none"), measure(ib[bn], get, higher, "none")
                if not p_ or not b_ or not flat(p_) or not flat(b_):
                    cells.append("?")
                    continue
                res[k] = {"ratio": median(flat(p_)) / median(flat(b_)), "ci95": ratio_ci(p_, b_)}
                cells.append(fmt_ci(res[k]["ratio"], res[k]["ci95"]))
            if key.startswith("cost"):
                base_s = f"{res['base']:,.0f} instructions"
            else:
                base_s = f"{res['base']:,.1f} /s of guest time" if key == "module" else \
                    f"{res['base']:,.0f} /s of guest time"
            out[key] = res
            self.add(f"| {label} | {base_s} | " + " | ".join(cells) + " |")
        self.json["icount"] = out

    def heal(self):
        """the linear map after boot, after the benchmarks, and healed"""
        p, nc = self.lm.get("patched"), self.lm.get("patched-nocollapse")
        if not p or "healed" not in p.get("maps", {}):
            return
        self.add("", "## 13. Healing: collapsing split leaves back", "",
                 "The patched kernel's linear map after boot, right after the benchmarks and "
                 "clients have freed what they used, and 3 s later (the collapse worker runs a "
                 "second after the last change); beside it the same kernel with "
                 "sysctl.vm.linear_map_collapse=0, whose linear map after the benchmarks is what "
                 "every split leaves without healing. TLB entries count a contiguous range as "
                 "one; page tables are the PMD and PTE tables under the linear map. First boot "
                 "of each.", "",
                 "| kernel, when | TLB entries | page tables | DirectMap lines |", "|---|---|---|---|")
        out = {}
        for name, r in (("patched", p), ("patched, collapse off", nc)):
            for when in ("boot", "after", "healed"):
                m = (r or {}).get("maps", {}).get(when)
                if not m:
                    continue
                dm = ", ".join(f"{k[9:]} {v}" for k, v in m["meminfo"].items() if k.startswith("DirectMap"))
                self.add(f"| {name}, {when} | {m['tlb_entries']:,} | {m['table_bytes'] // 1024:,} KiB | {dm} |")
                out.setdefault(name, {})[when] = {"tlb": m["tlb_entries"], "tables": m["table_bytes"],
                                                  "meminfo": m["meminfo"]}
        b, h = p["maps"]["boot"], p["maps"]["healed"]

        def kb(mi, k):
            return int(mi.get(k, "0 kB").split()[0])
        dm_keys = [k for k in b["meminfo"] if k.startswith("DirectMap")]
        dm_dev = max((abs(kb(h["meminfo"], k) - kb(b["meminfo"], k)) / max(kb(b["meminfo"], k), 1)
                      for k in dm_keys if kb(b["meminfo"], k) >= 65536), default=0.0)
        s = {"tlb_healed_over_boot": round(h["tlb_entries"] / max(b["tlb_entries"], 1), 3),
             "tables_healed_over_boot": round(h["table_bytes"] / max(b["table_bytes"], 1), 3),
             "directmap_max_dev": round(dm_dev, 4)}
        c = (p.get("collapse") or {}).get("healed", {})
        if c:
            s["worker"] = c
            made = {k: v for k, v in c.items() if k.startswith("direct_map_") and k.endswith("collapses")}
            self.add("", "Collapses by kind (/proc/vmstat): " +
                     ", ".join(f"{k[11:-10]} {v:,}" for k, v in made.items()) + ". The worker's own "
                     f"CPU time over the boot: {c.get('cpu_us', 0) / 1000:,.1f} ms in "
                     f"{c.get('passes', 0):,} passes over {c.get('regions', 0):,} candidate regions "
                     "(debugfs linear_map_collapse).")
        self.add("", f"Healed vs after boot: {s['tlb_healed_over_boot']}x the TLB entries, "
                 f"{s['tables_healed_over_boot']}x the page-table bytes; the DirectMap lines of at "
                 f"least 64 MiB differ by at most {100 * dm_dev:.2f}%.")
        self.json["heal"] = {"summary": s, "maps": out}

    def single_boots(self, b):
        return b.get("boots", "?") if b else "?"

    def goals(self):
        """the issue's targets, each with its measured value and a verdict
        from its interval"""
        j = self.json
        out = []

        def verdict(r_, ci, higher, bar, why=""):
            """met when the whole 95% interval is on the bar's good side,
            missed when it is all on the other, "within noise" otherwise"""
            if r_ is None:
                return "?"
            good = (lambda x: x >= bar) if higher else (lambda x: x <= bar)
            if not ci:
                # fewer than 2 boots with samples (at the host's fast
                # speed, for the one-vCPU measures): no verdict either way
                return "not judged: too few boots with samples (median " + \
                    ("meets it)" if good(r_) else "misses it)")
            if good(ci[0]) and good(ci[1]):
                return "yes"
            if not good(ci[0]) and not good(ci[1]):
                return "no" + why
            return "within noise (median " + ("meets it)" if good(r_) else "misses it)")

        tcg = "; TCG's TLB with blocks: section 8"
        sv = j.get("single_vcpu", {})
        for key, what, lower in (("cost 1", "set_memory_ro+rw, 1 page, time", True),
                                 ("cost 16", "set_memory_ro+rw, 16 pages, time", True),
                                 ("cost 512", "set_memory_ro+rw, 512 pages, time", True),
                                 ("cost 4096", "set_memory_ro+rw, 4096 pages, time", True),
                                 ("warm shared 1", "set_direct_map pairs/s, 1 thread, shared", False),
                                 ("warm separate 1", "set_direct_map pairs/s, 1 thread, separate", False),
                                 ("secretmem", "secretmem faults/s", False),
                                 ("module", "module loads/s", False), ("bpf", "BPF loads/s", False)):
            for name, label in (("patched-nobbml2", "arm64.nobbml2"), ("patched", "block map")):
                x = sv.get(key, {}).get(name)
                if not x:
                    continue
                r_, ci = x["ratio"], x["ci95"]
                bar = 1.0 if lower else 0.95
                why = ""
                if name == "patched":
                    bp = sv.get(key, {}).get("blocks_ptes")
                    why = tcg if not bp else ("; TCG's TLB with blocks, same code: " +
                                              fmt_ci(bp["ratio"], bp["ci95"]) + " (section 12)")
                v = verdict(r_, ci, not lower, bar, why)
                aa = sv.get(key, {}).get("base_aa")
                if aa and v.startswith("within noise"):
                    v += "; base / base, odd over even boots: " + fmt_ci(aa["ratio"], aa["ci95"]) + \
                        ("" if aa["ci95"] else " (no interval)")
                out.append((f"{what}, {label}, vs base {'<= 1.0' if lower else '>= 0.95'}",
                            fmt_ci(r_, ci), v))
                y = j.get("icount", {}).get(key, {}).get(name)
                if y:
                    why = ""
                    bp = j.get("icount", {}).get(key, {}).get("blocks_ptes")
                    if name == "patched" and bp:
                        why = "; blocks / PTEs, same code: " + fmt_ci(bp["ratio"], bp["ci95"])
                    out.append((f"{what}, {label}, vs base {'<= 1.0' if lower else '>= 0.95'}, "
                                "instructions (section 14)", fmt_ci(y["ratio"], y["ci95"]),
                                verdict(y["ratio"], y["ci95"], not lower, bar, why)))
        for key, what in (("warm shared 1", "set_direct_map pairs/s, 1 thread, shared"),
                          ("warm separate 1", "set_direct_map pairs/s, 1 thread, separate"),
                          ("secretmem", "secretmem faults/s")):
            x = sv.get(key, {}).get("collapse_on_off")
            # within each boot where the demo measured it so
            lay = {"warm shared 1": "shared", "warm separate 1": "separate",
                   "secretmem": "secretmem"}.get(key)
            y = sv.get(f"toggle {lay}", {}).get("collapse_on_off") if lay else None
            where = ""
            if y:
                x, where = y, " within boots"
            if x:
                out.append((f"{what}, collapse on / off >= 0.95",
                            fmt_ci(x["ratio"], x["ci95"]) + where,
                            verdict(x["ratio"], x["ci95"], True, 0.95)))
        h = j.get("heal", {}).get("summary")
        if h:
            out.append(("healed: TLB entries within 10% of after boot",
                        f"{h['tlb_healed_over_boot']}x", "yes" if h["tlb_healed_over_boot"] <= 1.10 else "no"))
            out.append(("healed: page-table bytes within 10% of after boot",
                        f"{h['tables_healed_over_boot']}x",
                        "yes" if h["tables_healed_over_boot"] <= 1.10 else "no"))
            out.append(("healed: DirectMap lines within 1% of after boot",
                        f"{100 * h['directmap_max_dev']:.2f}%", "yes" if h["directmap_max_dev"] <= 0.01 else "no"))
        lm = j.get("linear_map", {}).get("summary", {})
        d = lm.get("tables_patched_minus_limit_kib")
        out.append(("linear map, 4K flavour: page tables - rodata=off limit <= 64 KiB",
                    "?" if d is None else f"{d:+,} KiB", "?" if d is None else ("yes" if d <= 64 else "no")))
        for f, x in j.get("flavours", {}).items():
            d = x.get("tables_patched_minus_limit_kib")
            out.append((f"linear map, {f} flavour: page tables - rodata=off limit <= 64 KiB",
                        f"{d:+,} KiB", "yes" if d <= 64 else "no"))
        j["goals"] = [{"goal": g, "measured": m, "met": ok} for g, m, ok in out]
        n1 = self.single_boots(load(self.d, "bench", "single-base"))
        return ["## Targets", "",
                f"Judged on the boots with one vCPU (section 12, {n1} boots of each kernel), their "
                "samples corrected for the host's speed (section 12), and collapse on / off "
                "within boots where section 12 has it; each single-thread target again "
                "in instructions (section 14: the same suite under QEMU -icount, where the "
                "host's speed and TCG's soft TLB cost nothing, so what is left is the "
                "kernels' own code). With 4 "
                "vCPUs on this host's 2 cores, TCG's emulation of a broadcast TLBI makes a 1-page "
                "change vary by 40% within a boot and 30% between boots, and targets judged on "
                "those boots changed verdict from one run to the next (13 of them between the "
                "runs of 2026-12-01 07:18 and 07:35); their ratios stay in sections 3 to 8, for "
                "information.", "",
                "Ratios are medians with their 95% interval over whole boots (throughputs: "
                "patched / base, higher is better; times: patched / base, lower is better). A "
                "target is met (yes) when its whole interval is on the good side of the bar, "
                "missed (no) when all of it is on the other side, and within noise otherwise, "
                "whichever side the median falls: two runs whose intervals hold cannot give "
                "a target opposite verdicts.", "",
                "| target | measured | met |", "|---|---|---|"] + \
            [f"| {g} | {m} | {ok} |" for g, m, ok in out] + [""]

    def picture(self):
        self.add("", "## 11. Picture", "",
                 "[linear-map.svg](linear-map.svg): the linear map of each kernel as strips coloured "
                 "by leaf size: after boot; after the benchmarks' splits (the patched kernel with "
                 "its collapse off: the storm as it stays); and the patched kernel right after the "
                 "benchmarks and healed, 3 s later (section 13).")

    def config_header(self):
        """the Debian flavour, what decides the linear map, what was changed"""
        cfg = {}
        try:
            with open(os.path.join(self.d, "config-patched")) as f:
                for line in f:
                    if line.startswith("CONFIG_"):
                        k, _, v = line.strip().partition("=")
                        cfg[k[7:]] = v
        except OSError:
            return []
        flav = (os.environ.get("DEMO_FLAVOURS", "arm64").split() or ["arm64"])[0]
        ver = "?"
        try:
            with open(os.path.join(os.path.dirname(self.d.rstrip("/")), "debian-config", "VERSION")) as f:
                ver = f.read().strip()
        except OSError:
            pass
        page = next((k[6:-7] for k in cfg if k.startswith("ARM64_") and k.endswith("K_PAGES")), "?")
        hot = "on" if cfg.get("MEMORY_HOTPLUG") == "y" else "off"
        hot += " (hot-remove " + ("on" if cfg.get("MEMORY_HOTREMOVE") == "y" else "off") + ")"
        dpa = cfg.get("DEBUG_PAGEALLOC") == "y"
        decide = [
            f"KFENCE {'built in' if cfg.get('KFENCE') == 'y' else 'off'}, sample interval "
            f"{cfg.get('KFENCE_SAMPLE_INTERVAL', '?')} (off at boot when 0)",
            f"rodata={'full' if cfg.get('RODATA_FULL_DEFAULT_ENABLED') == 'y' else 'on'} by default",
            f"{page}K pages, {cfg.get('ARM64_VA_BITS', '?')}-bit VA, {cfg.get('PGTABLE_LEVELS', '?')} levels",
            f"memory hotplug {hot}",
            "debug_pagealloc " + ("built in, " + ("on" if cfg.get("DEBUG_PAGEALLOC_ENABLE_DEFAULT") == "y"
                                                   else "off") + " at boot" if dpa else "not built"),
        ]
        lines = [f"Kernel config: Debian's `{flav}` flavour (package linux-config-6.12:arm64 {ver}), the "
                 "same for both kernels, plus CONFIG_ARM64_BBML2_NOABORT_EMULATED=y for the patched one "
                 "(QEMU TCG's -cpu max counts as BBML2_NOABORT only with it). What decides the "
                 "linear map: " + "; ".join(decide) + ". Every option of "
                 "configs/debian-linear-map.list has Debian's value but KEXEC_FILE, on for make "
                 "lifecycle (scripts/democonfig.sh checks it).",
                 ""]
        try:
            with open(os.path.join(self.d, "config-patched.diff")) as f:
                diff = [line.split() for line in f if line.strip()]
            off = sum(1 for d in diff if d[-1] == "n")
            lines += [f"Changed from Debian's config, for build time only: every =m option off "
                      f"(modules) except CONFIG_TEST_LKM=m; {off} options off: the SoC platforms, "
                      "the drivers QEMU virt does not have (of PCI, other SoCs' host bridges, "
                      "hotplug and endpoint mode), EFI, ACPI, KVM and Xen, the network "
                      "protocols, netfilter and ethtool's netlink interface (NET, AF_UNIX and "
                      "the BPF glue stay), the file systems beyond "
                      "the in-memory ones, io_uring (and what depends on them: SELinux needs "
                      "INET); no debug info or BTF; no module compression; no MODVERSIONS "
                      "(symbol CRCs). Added, for make "
                      "lifecycle: VIRTIO_BLK=y (Debian: =m) and KEXEC_FILE=y (Debian: off); "
                      "neither changes how 6.12 maps the kernel. All of it: "
                      "config-patched.diff.", ""]
        except OSError:
            pass
        return lines

    def write(self):
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        machine = (f"{platform.machine()}, {os.cpu_count()} cores, QEMU {qemu_version()} TCG")
        self.add("# arm64 pageattr demo: base 6.12 and the patched kernel", "",
                 f"{now}; host {machine}; guest virt -cpu max, 4 vCPUs, 4 GiB; "
                 f"{self.boots()} boots of each kernel, alternating; intervals resample "
                 "whole boots.", "")
        self.add(*self.config_header())
        self.add(
                 "Times are guest time under QEMU TCG, which emulates the MMU and TLB in "
                 "software: they compare the two kernels' code paths on one machine, not what "
                 "hardware would show (the TLB gain of block mappings does not show here at "
                 "all), and 4 vCPUs share the host's cores.", "")
        for name in ("base", "patched"):
            bn = self.bench[name]
            if bn is not None and not bn.get("done"):
                self.add(f"**INCOMPLETE: the {name} boot did not finish; see boot-{name}.log.**", "")
        head = self.lines
        self.lines = []
        self.linear_map()
        self.meminfo()
        self.cost()
        self.huge()
        self.splits()
        self.clients()
        self.steps()
        self.tcg_tlb()
        self.kfence()
        self.flavours()
        self.picture()
        self.single()
        self.heal()
        self.icount()
        errors = {n: (self.bench[n] or {}).get("errors", []) for n in self.bench}
        if any(errors.values()):
            self.add("", "## Errors", "")
            for n, errs in errors.items():
                self.add(*(f"- {n}: {e}" for e in errs))
        self.json.update({"date": now, "machine": machine, "errors": errors})
        print("\n".join(head + self.goals() + self.lines))
        with open(os.path.join(self.d, "report.json"), "w") as f:
            json.dump(self.json, f, indent=1)


if __name__ == "__main__":
    Report(sys.argv[1]).write()
