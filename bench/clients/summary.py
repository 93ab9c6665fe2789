#!/usr/bin/env python3
"""The client comparison's lines (stdin) as one Markdown table: per client and way, the median over the repeats of
CPU ms per request (the figure that matters on a shared core), with the spread, and req/s and p50."""
import collections
import statistics
import sys

runs = collections.defaultdict(list)
for line in sys.stdin:
    if not line.startswith("repeat="):
        continue
    fields = dict(part.split("=", 1) for part in line.split() if "=" in part)
    if "cpu_ms_per_request" in fields:
        runs[(fields["client"], fields["way"], fields["mode"], int(fields["c"]))].append(fields)

columns = [(m, c) for c in (1, 64) for m in ("json", "stream")]
print("| client | way | " + " | ".join(f"{'plain' if m == 'json' else 'streamed'}, {c} in flight: CPU ms/req (min–max); req/s"
                                       for m, c in columns) + " |")
print("| --- | --- |" + " --- |" * len(columns))
order = ["jdk", "jdk-direct", "vertx", "webclient", "rest"]
for client in order:
    for way in ("worker", "loop"):
        cells = []
        for m, c in columns:
            r = runs.get((client, way, m, c))
            if not r:
                cells.append("–")
                continue
            cpu = [float(x["cpu_ms_per_request"]) for x in r]
            rps = [float(x["rps"]) for x in r]
            cells.append(f"{statistics.median(cpu):.3f} ({min(cpu):.3f}–{max(cpu):.3f}); {statistics.median(rps):,.0f}")
        if any(cell != "–" for cell in cells):
            print(f"| {client} | {way} | " + " | ".join(cells) + " |")
