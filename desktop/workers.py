"""CPU-bound work spread over worker processes, its answers in order: a merge checks a
million revisions this way, a batch at a time.

The workers are spawned, never forked (a merge runs in a thread of the supervision window,
and a process forked from one with other threads could inherit a lock one of them held,
and never end), and started at the first batch. A worker that cannot start, or that dies
(the out-of-memory killer, a user), breaks the pool: its batch and every one after it is
done in this process instead, with the same answers, and the log says so once.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class Workers:
    """A pool of ``count`` worker processes (every core by default), shared by the tasks
    of one job and shut down with it (``with Workers() as workers: ...``)."""

    def __init__(self, count: int = 0) -> None:
        self.count = count or (os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self.broken = self.count < 2  # one core: the work is done here, as fast

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def in_order(self, tasks: Iterable[T], work: Callable[[T], R], ahead: int = 0) -> Iterator[R]:
        """``work(task)`` for each task, in order, the next ``ahead`` tasks (twice the workers
        by default) being worked on meanwhile; memory stays that of those. What ``work``
        raises for a task is raised in its place; what ``tasks`` raises is raised after the
        answers of the tasks read before it (a file is refused at its first wrong line,
        whichever process found it)."""
        ahead = ahead or 2 * self.count
        waiting: deque[tuple[T, Future[R] | None]] = deque()
        source = iter(tasks)
        failure: BaseException | None = None
        ended = False

        def fill() -> None:
            nonlocal failure, ended
            while not ended and len(waiting) < ahead:
                try:
                    task = next(source)
                except StopIteration:
                    ended = True
                except Exception as exc:  # raised after the answers of the tasks before it
                    failure, ended = exc, True
                else:
                    waiting.append((task, self._submit(work, task)))

        try:
            fill()
            while waiting:
                task, future = waiting.popleft()
                yield self._answer(work, task, future)
                fill()
            if failure is not None:
                raise failure
        finally:
            for _task, future in waiting:
                if future is not None:
                    future.cancel()

    def _submit(self, work: Callable[[T], R], task: T) -> Future[R] | None:
        if self.broken:
            return None
        try:
            if self._pool is None:
                import multiprocessing  # lazy: spawned workers are for large jobs only

                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(self.count, mp_context=context)
            return self._pool.submit(work, task)
        except Exception as exc:  # cannot start, or broken: whatever it is, the work is done here
            self._give_up(exc)
            return None

    def _answer(self, work: Callable[[T], R], task: T, future: Future[R] | None) -> R:
        if future is not None and not self.broken:
            try:
                return future.result()
            except BrokenProcessPool as exc:  # a worker killed, or unable to start
                self._give_up(exc)
        return work(task)

    def _give_up(self, why: BaseException) -> None:
        if not self.broken:
            log.warning("the worker processes stopped (%s): the rest is done here", why)
        self.broken = True
