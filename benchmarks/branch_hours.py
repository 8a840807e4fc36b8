"""Opening hours: the worst time to evaluate "open now" and its next change, over a
generated set of expressions a pack can hold, beside ``24/7`` evaluated in the same run.

    .venv/bin/python benchmarks/branch_hours.py [--count 400]

The card evaluates its branch's expression on the GUI thread each time it shows and every
20 s: the goal is every expression within a millisecond (``Mo-Su 00:00-24:00`` took 0.7-1 s
before the search for a next change was bounded to two weeks).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop import hours  # noqa: E402
from desktop.places import Place  # noqa: E402

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
FIXED = [
    "24/7",
    "Mo-Su 00:00-24:00",
    "Mo-Su 00:00-12:00,12:00-24:00",
    "Mo-Su 00:00-24:00; PH off",
    "Mo-Su 00:00-24:00; Dec 25 off",
    "2020-2099 Mo-Su 00:00-24:00",
    "week 1-53 Mo-Su 00:00-24:00",
    "Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off",
    "Mo-Fr 09:00-18:00; Jan 01-Dec 31 Su off; SH off; PH off",
    "Jan-Dec Mo-Su 00:00-24:00; 2090 Dec 25 off",
]


def generated(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    found = list(FIXED)
    while len(found) < count:
        rules = []
        for _ in range(rng.randint(1, 4)):
            first = rng.randrange(7)
            last = rng.randrange(first, 7)
            opens, closes = sorted(rng.sample(range(0, 25), 2))
            rules.append(f"{DAYS[first]}-{DAYS[last]} {opens:02d}:00-{closes:02d}:00")
        rules += rng.sample(["PH off", "PH 09:00-12:00", "Dec 25 off", "SH off"], rng.randint(0, 2))
        found.append("; ".join(rules))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=400)
    args = parser.parse_args()
    places = [
        Place("Europe/Paris", "FR"),
        Place("Indian/Reunion", "RE"),
        Place("America/Cayenne", "GF"),
    ]
    reference = max(hours.evaluation_time("24/7", place) for place in places)
    worst, worst_expression = 0.0, ""
    for expression in generated(args.count):
        for place in places:
            taken = hours.evaluation_time(expression, place)
            if taken > worst:
                worst, worst_expression = taken, f"{expression} ({place.country})"
    print(f"expressions: {args.count} x {len(places)} places, 13 instants a week each")
    print(f"reference, 24/7: {reference * 1000:.3f} ms")
    print(f"worst: {worst * 1000:.3f} ms ({worst / reference:.1f}x 24/7): {worst_expression}")
    print("goal: every expression within 1 ms:", "met" if worst < 0.001 else "NOT met")


if __name__ == "__main__":
    main()
