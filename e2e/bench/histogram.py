#!/usr/bin/env python3
"""wrk latency histograms as result.lua writes them ("microseconds count" lines, runs appended), and their
percentiles. Shared by proxy-bench.sh (pooled p50/p99 of a key) and slow_effect.py.

    histogram.py FILE    prints "p50_ms p99_ms" of every request in FILE
"""
import sys


def read(path):
    counts = {}
    with open(path) as f:
        for line in f:
            us, n = map(int, line.split())
            counts[us] = counts.get(us, 0) + n
    return counts


def merge(into, counts):
    for us, n in counts.items():
        into[us] = into.get(us, 0) + n


def percentiles(counts, qs):
    """{q: the smallest latency (us) at or below which at least q % of the requests lie}"""
    total, seen, out = sum(counts.values()), 0, {}
    if not total:
        raise ValueError("empty histogram")
    for us in sorted(counts):
        seen += counts[us]
        for q in qs:
            if q not in out and seen * 100 >= total * q:  # integers: no rounding at the boundary
                out[q] = us
    return out


if __name__ == "__main__":
    p = percentiles(read(sys.argv[1]), (50, 99))
    print("%.3f %.3f" % (p[50] / 1000, p[99] / 1000))
