#!/usr/bin/env python3
"""Prints the report's tables from jmh-results.json (or the JSON file given as argument): each makespan as a ratio to the lower bound
LB = max(total work / W, largest indivisible task) of io.sluice.bench.sched.Workload, and overheads vs ForkJoinPool."""
import json, os

here = os.path.dirname(os.path.abspath(__file__))
import sys
results = json.load(open(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "jmh-results.json")))
TOTAL_MS = (1 << 22) * 100 / 1e6
MIN_MORSEL_MS = (1 << 14) * 100 / 1e6

def lb(workers):
    return max(TOTAL_MS / workers, MIN_MORSEL_MS)

def slow_aware(workers):
    return max(TOTAL_MS / (workers - 1 + 0.25), MIN_MORSEL_MS * 4)

mk = {}
ov = {}
alloc = {}
for r in results:
    p = r["params"]
    score, err = r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"]
    if r["benchmark"].endswith("makespan"):
        mk[(p["workload"], int(p["workers"]), p["policy"])] = (score, err)
    elif r["benchmark"].endswith("stageOfEmptyTasks"):
        ov[(int(p["workers"]), p["policy"])] = (score, err)
        norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        if norm:
            alloc[(int(p["workers"]), p["policy"])] = norm["score"]

policies = ["STATIC", "CENTRAL_QUEUE", "WORK_STEALING", "FORK_JOIN"]
print("| workload | W | LB ms | " + " | ".join(f"{p} ms (x LB)" for p in policies) + " |")
print("|---|---|---|" + "---|" * len(policies))
for wl in ["UNIFORM", "ZIPF", "SLOW_WORKER"]:
    for w in sorted({k[1] for k in mk}):
        cells = []
        for p in policies:
            if (wl, w, p) in mk:
                s, e = mk[(wl, w, p)]
                sa = f" / {s / slow_aware(w):.2f}" if wl == "SLOW_WORKER" else ""
                cells.append(f"{s:.1f} ± {e:.1f} ({s / lb(w):.2f}{sa})")
            else:
                cells.append("-")
        extra = f" (slow-aware {slow_aware(w):.1f})" if wl == "SLOW_WORKER" else ""
        print(f"| {wl} | {w} | {lb(w):.1f}{extra} | " + " | ".join(cells) + " |")
print()
print("| W | policy | us per stage of 10k empty tasks | ForkJoinPool time / policy time | gc.alloc.rate.norm B/stage |")
print("|---|---|---|---|---|")
for (w, p), (s, e) in sorted(ov.items()):
    fj = ov.get((w, "FORK_JOIN"), (float("nan"), 0))[0]
    a = alloc.get((w, p))
    print(f"| {w} | {p} | {s:.1f} ± {e:.1f} | {fj / s:.2f} | {a:,.0f} |" if a else f"| {w} | {p} | {s:.1f} ± {e:.1f} | {fj / s:.2f} | - |")
