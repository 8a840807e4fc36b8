"""The merge's read-ahead: items in order, an error where it happened, a thread that stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from desktop.read_ahead import read_ahead


def test_items_come_in_order_and_at_most_depth_are_made_ahead() -> None:
    made: list[int] = []

    def items() -> Iterator[int]:
        for number in range(50):
            made.append(number)
            yield number

    seen = []
    for item in read_ahead(items(), depth=2):
        seen.append(item)
        # the one in the consumer's hands, two waiting, and one the thread holds
        assert len(made) <= item + 4
    assert seen == list(range(50))


def test_an_error_is_raised_after_the_items_made_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("line 3: damaged")

    seen = []
    with pytest.raises(ValueError, match="line 3"):
        for item in read_ahead(items()):
            seen.append(item)
    assert seen == [1, 2]


def test_leaving_early_stops_the_thread() -> None:
    def endless() -> Iterator[int]:
        number = 0
        while True:
            number += 1
            yield number

    before = threading.active_count()
    ahead = read_ahead(endless())
    assert next(ahead) == 1
    assert threading.active_count() == before + 1
    ahead.close()  # as a for loop left by an exception does
    assert threading.active_count() == before
