#!/usr/bin/env python3
"""Fits bytes per batch = a + b * rows to JMH -prof gc results (gc.alloc.rate.norm) per benchmark and job.

usage: fit.py LABEL=results.json [LABEL=results.json ...]
Prints one markdown row per (label, benchmark, job): the bytes per batch at each row count (± JMH's 99.9% error),
the least-squares a (bytes per batch) and b (bytes per record), and b's bound from the errors: the largest slope the
end points allow, (hi(last) - lo(first)) / (rows(last) - rows(first)), with lo/hi = score -/+ error.
"""
import json
import sys


def fit(points):
    n = len(points)
    mx = sum(x for x, _, _ in points) / n
    my = sum(y for _, y, _ in points) / n
    sxx = sum((x - mx) ** 2 for x, _, _ in points)
    b = sum((x - mx) * (y - my) for x, y, _ in points) / sxx
    return my - b * mx, b


def main():
    rows = []
    for arg in sys.argv[1:]:
        label, path = arg.split("=", 1)
        groups = {}
        for result in json.load(open(path)):
            norm = result["secondaryMetrics"]["gc.alloc.rate.norm"]
            method = result["benchmark"].rsplit(".", 1)[1]
            params = result.get("params", {})
            groups.setdefault((method, params.get("job", "")), []).append(
                (int(params["rows"]), norm["score"], norm["scoreError"]))
        for (method, job), points in sorted(groups.items()):
            points.sort()
            a, b = fit(points)
            (x0, y0, e0), (x1, y1, e1) = points[0], points[-1]
            b_hi = ((y1 + e1) - (y0 - e0)) / (x1 - x0)
            b_lo = ((y1 - e1) - (y0 + e0)) / (x1 - x0)
            cells = " | ".join(f"{y:,.0f} ± {e:,.0f}" for _, y, e in points)
            rows.append(f"| {label} | `{method}` | {job} | {cells} | {a:,.0f} | {b:,.2f} | [{b_lo:,.2f}, {b_hi:,.2f}] |")
            header = " | ".join(f"B/batch at {x:,} rows" for x, _, _ in points)
    print(f"| code | path | job | {header} | a: B per batch | b: B per record | b's range from the errors |")
    print("| --- | --- | --- |" + " ---: |" * (len(header.split(" | ")) + 3))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
