"""The benchmarks' percentile: the value under which 99% of the measures fall (the highest
one for fewer than a hundred), 0.0 for none."""

from __future__ import annotations


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0
