#!/usr/bin/env python3
"""Rows for make check from a smoke run of the demo (DEMO_SMOKE=1).

usage: smoke_check.py DIR SECS   -> TSV rows: name pass fail skip secs note
"""
import json
import os
import sys


def load(d, name):
    try:
        with open(os.path.join(d, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def main():
    d, secs = sys.argv[1], sys.argv[2]
    lm, bn = load(d, "linmap-patched.json") or {}, load(d, "bench-patched.json") or {}
    rows = []

    def row(name, ok, note):
        rows.append((f"demo {name}", int(ok), int(not ok), 0, secs, note))

    boot, after = lm.get("maps", {}).get("boot"), lm.get("maps", {}).get("after")
    row("boot", lm.get("done", False) and bool(boot and boot.get("ok")),
        "patched kernel booted through the benchmarks" if lm.get("done") else "did not finish: boot-patched.log")
    want = ["cost", "huge", "split", "tput", "module", "bpf", "steps"]
    missing = [k for k in want if not bn.get(k)] + ([] if bn.get("secretmem") else ["secretmem"])
    row("bench", not missing and not bn.get("errors"),
        "all sections" if not missing else f"missing {missing}; errors {bn.get('errors')}")
    h = bn.get("huge", {}).get("512", {})
    row("vmalloc_huge", h.get("ro_ret") == 0 and h.get("writes_fault_when_ro") and h.get("writable_after")
        and h.get("ro_leaves") == h.get("leaves", {}).get("PMD"),
        f"set_memory_ro ret {h.get('ro_ret')}, {h.get('ro_leaves')} RO leaves of {h.get('leaves')}")
    st = bn.get("selftest") or {}
    row("memfd_secret", st.get("fail") == 0 and st.get("pass", 0) > 0 and st.get("exit") == 0,
        f"{st.get('pass')} passed, {st.get('fail')} failed, exit {st.get('exit')}")
    row("debug_wx", lm.get("wx") == "passed, none found", f"W+X check: {lm.get('wx')}")
    # The benchmarks split the linear map; the collapse worker, which runs a
    # second after the last change, may have put it back before "after" is
    # read. Either the split shows at "after", or the worker's vmstat
    # counters say it collapsed leaves; and once healed, the DirectMap lines
    # are those of boot again.
    healed = lm.get("maps", {}).get("healed") or {}
    mb, ma = (boot or {}).get("meminfo", {}), (after or {}).get("meminfo", {})
    mh = healed.get("meminfo", {})
    moved = mb.get("DirectMap4k") != ma.get("DirectMap4k")
    col = (lm.get("collapse") or {}).get("after") or {}
    collapsed = sum(v for k, v in col.items() if k.startswith("direct_map_") and k.endswith("_collapses"))
    dm = sorted(k for k in mb if k.startswith("DirectMap"))
    same = bool(dm) and all(mb[k] == mh.get(k) for k in dm) and set(dm) == {k for k in mh if k.startswith("DirectMap")}
    row("meminfo", "DirectMap1G" in mb and (moved or collapsed > 0) and same,
        f"DirectMap4k {mb.get('DirectMap4k')} -> {ma.get('DirectMap4k')} after the benchmarks, "
        f"{collapsed} leaves collapsed, healed {'==' if same else '!='} boot")
    kf = (bn.get("kfence") or [[]])[0]
    pool = kf[-1] if kf else {}
    lv = pool.get("leaves", {})
    row("kfence_late", bool(kf) and not kf[0].get("pool") and pool.get("pool", 0) > 0
        and set(lv) == {"PTE"} and lv["PTE"] * 4096 == pool["pool"],
        f"KFENCE switched on at run time: pool {pool.get('pool')} bytes, leaves {lv}")
    # the one-vCPU boot: every sample has the host's speed beside it, and
    # each toggled part has samples in both states (how fast the host ran
    # during this one boot decides nothing here)
    sb = load(d, "bench-single-patched.json") or {}
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from report import MEASURES, measure, run_limit
    import toggle
    lim = run_limit([sb])
    have = [k for _, k, get, hi in MEASURES if measure(sb, get, hi, "fast", lim) is not None
            and measure(sb, get, hi, "none")]
    lack = [k for _, k, _, _ in MEASURES if k not in have]
    tg = toggle.parse(os.path.join(d, "boot-toggle-1.log")) \
        if os.path.isfile(os.path.join(d, "boot-toggle-1.log")) else {}
    what = [w for w in toggle.WHAT
            if all(len(tg.get(w, {}).get(st, [])) > 1 and all(r for _, r in tg[w][st]) for st in "10")]
    row("one vCPU", not lack and len(what) == len(toggle.WHAT) and not sb.get("errors"),
        f"{len(have)} of {len(MEASURES)} measures with the host's speed beside every sample"
        + (f" (not: {', '.join(lack)})" if lack else "")
        + f"; collapse toggled on and off: {', '.join(what) or 'none'}")
    # the boot under QEMU -icount: every measure, and a guest clock that
    # counts instructions (the 51 samples of a 1-page pair within 2% of
    # each other, as no host time can be)
    ic = load(d, "bench-icount-patched.json") or {}
    have_i = [k for _, k, get, hi in MEASURES if measure(ic, get, hi, "none")]
    c1 = [x for b in (measure(ic, MEASURES[0][2], False, "none") or []) for x in b]
    steady = sorted(c1)[len(c1) // 10: len(c1) - len(c1) // 10] if c1 else []
    flat_ = bool(steady) and steady[-1] <= 1.02 * steady[0]
    row("icount", len(have_i) == len(MEASURES) and flat_ and not ic.get("errors"),
        f"{len(have_i)} of {len(MEASURES)} measures under -icount; 1-page pairs "
        + (f"{steady[0]:,.0f}-{steady[-1]:,.0f} instructions (10th-90th percentile)" if steady else "none"))
    files = [f for f in ("report.md", "report.json", "linear-map.svg")
             if os.path.isfile(os.path.join(d, f)) and os.path.getsize(os.path.join(d, f)) > 0]
    row("report", len(files) == 3, "report.md, report.json, linear-map.svg" if len(files) == 3 else f"only {files}")
    for r in rows:
        print("\t".join(map(str, r)))


if __name__ == "__main__":
    main()
