#!/usr/bin/env python3
"""Turns the result lines of bench/run.sh (on stdin) into the two Markdown tables of bench/README.md: the grid
(every connection count and mode, direct and through each gateway, with the deltas) and issue 11's figures against
their targets."""
import statistics
import sys


def parse(lines):
    rows = {}
    for line in lines:
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        label, fields = parts[0], {}
        if label == "STARTUP":
            label = "startup-" + parts[1]
            parts = parts[1:]
        for part in parts[1:]:
            if "=" in part:
                key, value = part.split("=", 1)
                fields[key] = value
        rows[label] = fields
    return rows


def num(rows, label, key):
    try:
        return float(rows[label][key])
    except (KeyError, ValueError):
        return None


def fmt(value, digits=2):
    if value is None:
        return "–"
    return f"{value:,.0f}" if digits == 0 else f"{value:.{digits}f}"


def direct(rows, gateway, mode, c):
    """The direct call measured right before this gateway's cell (older result files: the one shared baseline)."""
    label = f"direct-for-{gateway}-{mode}-c{c}"
    return label if label in rows else f"direct-{mode}-c{c}"


def grid(rows, gateways):
    head = "| connections | mode | direct req/s | direct p50 / p99 ms (before the first gateway's cell) |"
    rule = "| --- | --- | --- | --- |"
    for g in gateways:
        head += f" {g} req/s | {g} p50 / p99 ms | {g} Δp50 / Δp99 ms | {g} CPU ms/req | {g} errors |"
        rule += " --- | --- | --- | --- | --- |"
    out = [head, rule]
    for c in (1, 16, 64):
        for mode in ("json", "stream"):
            d = direct(rows, gateways[0], mode, c)
            line = (f"| {c} | {'plain' if mode == 'json' else 'streamed'} | {fmt(num(rows, d, 'rps'), 0)} "
                    f"| {fmt(num(rows, d, 'p50'), 3)} / {fmt(num(rows, d, 'p99'), 3)} |")
            for g in gateways:
                d = direct(rows, g, mode, c)
                r = f"{g}-{mode}-c{c}"
                p50, p99 = num(rows, r, "p50"), num(rows, r, "p99")
                dp50 = None if p50 is None or num(rows, d, "p50") is None else p50 - num(rows, d, "p50")
                dp99 = None if p99 is None or num(rows, d, "p99") is None else p99 - num(rows, d, "p99")
                errors = sum(int(rows.get(r, {}).get(k, 0)) for k in ("non2xx", "socket_errors"))
                line += (f" {fmt(num(rows, r, 'rps'), 0)} | {fmt(p50, 3)} / {fmt(p99, 3)} | {fmt(dp50)} / {fmt(dp99)}"
                         f" | {fmt(num(rows, r, 'cpu_ms_per_request'), 3)} | {errors} |")
            out.append(line)
    return out


def figures(rows, gateways):
    def delta(g, mode, c, p):
        a, b = num(rows, f"{g}-{mode}-c{c}", p), num(rows, direct(rows, g, mode, c), p)
        return None if a is None or b is None else a - b

    def warmup(g):
        text = rows.get(f"warmup-{g}", {}).get("rps_per_5s")
        if not text:
            return None, "–"
        windows = [float(x) for x in text.split(",")]
        steady = statistics.median(windows[2:]) if len(windows) > 2 else windows[-1]
        # steady within 5 s: the second 5 s window already within 10 % of the later windows' median
        return (windows[1] >= 0.9 * steady if len(windows) > 1 else None), " → ".join(f"{w:,.0f}" for w in windows)

    specs = [
        ("req/s at 64 connections", lambda g: num(rows, f"{g}-json-c64", "rps"), 0, "≥ 6,000", lambda v: v >= 6000),
        ("gateway CPU ms per request at 64", lambda g: num(rows, f"{g}-json-c64", "cpu_ms_per_request"), 3, "≤ 0.15",
         lambda v: v <= 0.15),
        ("Δp50 over a direct call, 1 connection (ms)", lambda g: delta(g, "json", 1, "p50"), 2, "≤ 0.3",
         lambda v: v <= 0.3),
        ("CPU ms per request at 1 connection", lambda g: num(rows, f"{g}-json-c1", "cpu_ms_per_request"), 3, "",
         None),
        ("Δp50 streamed, 1 connection (ms)", lambda g: delta(g, "stream", 1, "p50"), 2, "≤ 0.5", lambda v: v <= 0.5),
        ("Δp99 at 16 connections (ms)", lambda g: delta(g, "json", 16, "p99"), 2, "≤ 5", lambda v: v <= 5),
        ("RSS after the 64-connection soak (MB; peak)", lambda g: num(rows, f"soak-{g}", "rss_mb"), 0, "≤ 200",
         lambda v: v <= 200),
        ("launch → first served completion (ms, median)", lambda g: num(rows, f"startup-{g}", "median"), 0, "≤ 1,000",
         lambda v: v <= 1000),
    ]
    head = "| figure |" + "".join(f" {g} |" for g in gateways) + " target | Freeway |"
    out = [head, "| --- |" + " --- |" * len(gateways) + " --- | --- |"]
    for name, get, digits, target, ok in specs:
        values = [get(g) for g in gateways]
        cells = []
        for g, v in zip(gateways, values):
            cell = fmt(v, digits)
            if name.startswith("RSS") and v is not None:
                cell += f" ({fmt(num(rows, f'soak-{g}', 'peak_rss_mb'), 0)})"
            if name.startswith("launch"):
                runs = rows.get(f"startup-{g}", {}).get("runs")
                cell += f" ({runs.replace(',', ', ')})" if runs else ""
            cells.append(cell)
        verdict = "" if ok is None or values[0] is None else ("met" if ok(values[0]) else "missed")
        out.append(f"| {name} |" + "".join(f" {c} |" for c in cells) + f" {target} | {verdict} |")
    steady = [warmup(g) for g in gateways]
    verdict = "–" if steady[0][0] is None else ("met" if steady[0][0] else "missed")
    out.append("| warm-up: req/s per 5 s at 1 connection from the first completion |"
               + "".join(f" {s[1]} |" for s in steady) + f" steady within 5 s | {verdict} |")
    trips = [rows.get(f"redis-{m}", {}).get("round_trips_per_request", "–") for m in ("json", "stream")]
    out.append(f"| Redis round trips per request (plain, streamed) | {trips[0]}, {trips[1]} |"
               + " |" * (len(gateways) - 1) + " 2 (the floor) | |")
    return out


def main():
    rows = parse(sys.stdin.read().splitlines())
    gateways = [g for g in ("freeway", "portkey") if f"{g}-json-c1" in rows]
    print()
    print("\n".join(grid(rows, gateways)))
    print()
    print("\n".join(figures(rows, gateways)))


if __name__ == "__main__":
    main()
