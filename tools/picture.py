#!/usr/bin/env python3
"""Draw the linear map of each kernel as strips coloured by leaf size (SVG).

usage: picture.py OUT.svg DIR   (reads DIR/linmap-base.json, linmap-patched.json)

One strip per kernel and moment: right after boot, after the burst of
splits the benchmarks cause (the patched kernel with its collapse off: the
storm as it stays), and the patched kernel right after the benchmarks and
healed, 3 s later. The x axis is the linear map, start to end;
a piece narrower than a pixel is drawn one pixel wide, so that the few
split leaves in a sea of blocks stay visible.
"""
import json
import os
import sys

KINDS = [
    ("PUD 1G", "#08306b"),
    ("contiguous PMD 32M", "#2171b5"),
    ("PMD 2M", "#6baed6"),
    ("contiguous PTE 64K", "#fd8d3c"),
    ("PTE 4K", "#d7301f"),
]
COLOUR = dict(KINDS)
W, X0, STRIP, GAP = 900, 330, 34, 30


def load(d, name):
    try:
        with open(os.path.join(d, f"linmap-{name}.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def mib(b):
    return f"{b / (1 << 20):,.0f} MiB" if b >= 1 << 20 else f"{b / 1024:,.0f} KiB"


def strip(y, label, m):
    out = [f'<text x="{X0 - 10}" y="{y + STRIP / 2 + 5}" text-anchor="end">{label}</text>']
    total = m["segments"][-1][1] if m["segments"] else 1
    scale = W / total
    # big pieces first, small ones on top
    for s, e, kind in sorted(m["segments"], key=lambda x: x[0] - x[1]):
        x = X0 + s * scale
        w = max((e - s) * scale, 1.0)
        out.append(f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{STRIP}" '
                   f'fill="{COLOUR[kind]}"><title>{kind}: {mib(e - s)} at +{mib(s)}</title></rect>')
    short = {"PUD 1G": "PUD", "contiguous PMD 32M": "cont. PMD", "PMD 2M": "PMD",
             "contiguous PTE 64K": "cont. PTE", "PTE 4K": "PTE"}
    counts = ", ".join(f"{m['leaves'][k]:,} {short[k]}" for k, _ in KINDS if m["leaves"][k])
    out.append(f'<text x="{X0}" y="{y + STRIP + 14}" class="small">{counts}; '
               f'{m["table_bytes"] // 1024:,} KiB of page tables, {m["tlb_entries"]:,} TLB entries</text>')
    return out


def main():
    path, d = sys.argv[1], sys.argv[2]
    rows = []
    # the storm without healing (collapse off), then healed (collapse on)
    for name, title, whens in (
            ("base", "6.12", (("boot", "after boot"), ("after", "after the benchmarks"))),
            ("patched", "patched", (("boot", "after boot"),)),
            ("patched-nocollapse", "patched, collapse off", (("after", "after the benchmarks"),)),
            ("patched", "patched", (("after", "right after the benchmarks"),
                                    ("healed", "healed, 3 s later")))):
        r = load(d, name)
        if not r:
            continue
        for when, what in whens:
            m = r.get("maps", {}).get(when)
            if m and m.get("ok"):
                rows.append((f"{title}, {what}", m))
    h = 70 + len(rows) * (STRIP + GAP) + 40
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{X0 + W + 20}" height="{h}" '
           'font-family="sans-serif" font-size="13">',
           '<style>.small { font-size: 11px; fill: #444 }</style>',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{X0}" y="24" font-size="16">arm64 linear map by leaf size '
           '(rodata=full, QEMU virt -cpu max, 4 GiB, 4K pages)</text>']
    x = X0
    for kind, colour in KINDS:
        svg.append(f'<rect x="{x}" y="38" width="14" height="14" fill="{colour}"/>')
        svg.append(f'<text x="{x + 18}" y="50">{kind}</text>')
        x += 30 + 7.5 * len(kind)
    y = 70
    for label, m in rows:
        svg += strip(y, label, m)
        y += STRIP + GAP
    svg.append(f'<text x="{X0}" y="{y + 4}" class="small">x axis: the linear map from its '
               'first to its last mapped byte; pieces under a pixel are drawn 1 px wide</text>')
    svg.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main()
