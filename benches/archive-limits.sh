#!/usr/bin/env bash
# What a reader, an embed or a crawler loads from a built site, against the
# limits an archive must keep whatever its size: no HTML file over 1 MB, no
# other file over 5 MB but the bulk downloads (events.json, calendar.ics),
# every sitemap file within 50,000 URLs and 50 MB.
#
#   benches/archive-limits.sh OUT     (a built output folder)
#
# Prints the largest files of each kind and exits 1 when a limit is broken.
set -euo pipefail
out="${1:?usage: benches/archive-limits.sh OUT}"
python3 - "$out" <<'PY'
import os, sys, xml.etree.ElementTree as ET
out = sys.argv[1]
html, other, sitemaps = [], [], []
for root, _, files in os.walk(out):
    for f in files:
        p = os.path.join(root, f)
        rel = os.path.relpath(p, out)
        size = os.path.getsize(p)
        if f.endswith(".html"):
            html.append((size, rel))
        elif f not in ("events.json", "calendar.ics"):
            other.append((size, rel))
        if f.startswith("sitemap") and f.endswith(".xml"):
            sitemaps.append((size, rel))
bad = 0
def top(name, items, limit):
    global bad
    items.sort(reverse=True)
    over = [i for i in items if i[0] > limit]
    bad += len(over)
    print(f"{name}: {len(items)} files, largest:")
    for size, rel in items[:3]:
        print(f"  {size/1e6:8.2f} MB  {rel}")
    print(f"  over {limit/1e6:.0f} MB: {len(over)}")
top("HTML", html, 1_000_000)
top("other files (not events.json, calendar.ics)", other, 5_000_000)
for size, rel in sorted(sitemaps):
    urls = sum(1 for el in ET.parse(os.path.join(out, rel)).iter() if el.tag.endswith("}loc"))
    ok = size <= 50_000_000 and urls <= 50_000
    bad += not ok
    print(f"{rel}: {urls} <loc>, {size/1e6:.2f} MB{'' if ok else '  OVER THE LIMIT'}")
sys.exit(1 if bad else 0)
PY
