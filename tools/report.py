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


def ratio_ci(p, b, rounds=2000):
    """95% bootstrap interval of median(p) / median(b), or None"""
    if len(p) < 3 or len(b) < 3:
        return None
    rnd = random.Random(1)
    rs = sorted(median(rnd.choices(p, k=len(p))) / median(rnd.choices(b, k=len(b)))
                for _ in range(rounds))
    return rs[int(0.025 * rounds)], rs[int(0.975 * rounds) - 1]


class Report:
    def __init__(self, d):
        self.d = d
        self.lines = []
        self.json = {}
        self.lm = {n: load(d, "linmap", n) for n, _ in RUNS}
        self.bench = {n: load(d, "bench", n) for n in ("base", "patched", "patched-nobbml2")}
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
                 "ratio = patched / base of the medians, with its 95% bootstrap interval. "
                 f"No regression when the interval's upper end is at most {1 + DELTA:.2f}; "
                 "no difference shown when the interval holds 1.0 but reaches higher; a "
                 "regression when all of it is above 1.0.", "",
                 "The last column is the same code with arm64.nobbml2, whose linear map is "
                 "all PTEs as base's is: TCG flushes its whole software TLB when a page in a "
                 "range that a block once mapped is invalidated, which costs the patched "
                 "kernel, with its blocks, on every TLB flush of the linear alias.", "",
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
            rr = ratio(cp["ro"]["median"], cb["ro"]["median"])
            rw = ratio(cp["rw"]["median"], cb["rw"]["median"])
            rp = ratio(cp["pair"]["median"], cb["pair"]["median"])
            ci = ratio_ci(cp["pair_ns"], cb["pair_ns"])
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
                     f"{fmt_ratio(rn)} |")
            out[n]["nobbml2_pair_ratio"] = rn
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
                 "| mode | layout | threads | runs | base ops/s | patched ops/s | patched/base | "
                 "nobbml2/base | base scaling | patched scaling | patched: new tables, fresh blocks in large leaves |",
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
                    sb, sp = tb["stats"], tp["stats"]
                    if t == "1":
                        one = {"base": sb["median"], "patched": sp["median"]}
                    scb = sb["median"] / one["base"] if one else None
                    scp = sp["median"] / one["patched"] if one else None
                    tput[key] = {"base": sb, "patched": sp, "ratio": sp["median"] / sb["median"],
                                 "base_scaling": scb, "patched_scaling": scp,
                                 "patched_new_tables": tp["new_tables"]}
                    fresh = f", {tp['in_leaves']}/{tp['blocks']}" if mode == "cold" else ""
                    self.add(f"| {mode} | {layout} | {t} | {sp['n']} | {sb['median']:,.0f} ({sb['p25']:,.0f}-{sb['p75']:,.0f}) | "
                             f"{sp['median']:,.0f} ({sp['p25']:,.0f}-{sp['p75']:,.0f}) | "
                             f"{sp['median'] / sb['median']:.2f} | {fmt_ratio(rn)} | {fmt_ratio(scb)}x | {fmt_ratio(scp)}x | "
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
                 "| kernel | memfd_secret selftest | secretmem faults/s, first round | "
                 "faults/s, median of the other rounds (p25-p75) | W+X check at boot |",
                 "|---|---|---|---|---|")
        out = {}
        for name in ("base", "patched", "patched-nobbml2"):
            bn, lm = self.bench[name] or {}, self.lm[name] or {}
            if name == "patched-nobbml2" and not self.bench[name]:
                continue
            st, sm = bn.get("selftest"), bn.get("secretmem")
            if st:
                verdict = (f"{st['pass']} passed, {st['fail']} failed, {st['skip']} skipped "
                           f"over {st['runs']} boots, exit {st['exit']}")
            else:
                verdict = "not run"
            if sm:
                r = sm["rest"]
                fault = f"{sm['first']['median']:,.0f} | {r['median']:,.0f} ({r['p25']:,.0f}-{r['p75']:,.0f})"
            else:
                fault = "? | ?"
            self.add(f"| {name} | {verdict} | {fault} | {lm.get('wx', '?')} |")
            out[name] = {"selftest": st, "secretmem": sm, "wx": lm.get("wx")}
        sb, sp = (out[n]["secretmem"] for n in ("base", "patched"))
        if sb and sp:
            r = sp["rest"]["median"] / sb["rest"]["median"]
            r1 = sp["first"]["median"] / sb["first"]["median"]
            nt = "/".join(map(str, sp.get("first_new_tables", [])))
            self.add("", f"secretmem fault throughput, patched / base: {r:.2f} (median of the later "
                     f"rounds), {r1:.2f} (first round of each boot, in which the patched kernel's "
                     f"splits added {nt} page-table pages). 4,096 pages a round; each fault takes its page out "
                     "of the linear map and flushes the TLB; the pages come from the allocator, "
                     "much of it memory earlier benchmarks already split.")
            out["ratio"] = {"rest": r, "first": r1}
        self.json["clients"] = out

    def picture(self):
        self.add("", "## 7. Picture", "",
                 "[linear-map.svg](linear-map.svg): the linear map of each kernel as strips coloured "
                 "by leaf size, after boot and after the benchmarks' splits.")

    def write(self):
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        machine = (f"{platform.machine()}, {os.cpu_count()} cores, QEMU {qemu_version()} TCG")
        self.add("# arm64 pageattr demo: base 6.12 and the patched kernel", "",
                 f"{now}; host {machine}; guest virt -cpu max, 4 vCPUs, 4 GiB, 4K pages; "
                 f"the same kernel config for both kernels; {self.boots()} boots of each, "
                 "alternating, samples pooled.", "",
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
        self.picture()
        errors = {n: (self.bench[n] or {}).get("errors", []) for n in self.bench}
        if any(errors.values()):
            self.add("", "## Errors", "")
            for n, errs in errors.items():
                self.add(*(f"- {n}: {e}" for e in errs))
        self.json.update({"date": now, "machine": machine, "errors": errors})
        print("\n".join(head + self.lines))
        with open(os.path.join(self.d, "report.json"), "w") as f:
            json.dump(self.json, f, indent=1)


if __name__ == "__main__":
    Report(sys.argv[1]).write()
