"""CPU-bound work spread over worker processes, its answers in order: a merge checks a
million revisions this way, a batch at a time.

The workers are spawned, never forked (a merge runs in a thread of the supervision window,
and a process forked from one with other threads could inherit a lock one of them held,
and never end), and started at the first task. A worker that cannot start, or that dies
(the out-of-memory killer, a user), stops them all: its task and every one after it is
done in this process instead, with the same answers, and the log says so once.

Why not concurrent.futures' process pool: a worker killed while it wrote an answer leaves
half a message in the pool's one shared pipe, and the pool's reading thread waits for the
rest for ever (and the interpreter for that thread at its exit). Here each worker has pipes
of its own; this process reads a worker's answer only when its pipe is readable, and reads
the end of the file (the dead worker's end is closed) instead of waiting.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class Workers:
    """``count`` worker processes (every core by default), shared by the tasks of one job
    and stopped with it (``with Workers() as workers: ...``)."""

    def __init__(self, count: int = 0, beside: bool = False) -> None:
        """``beside``: this process does other work meanwhile, so that even one worker is
        worth starting on two cores; else a single worker's work is done here, as fast."""
        self.count = count or (os.cpu_count() or 1)
        cores = os.cpu_count() or 1
        self.broken = cores < 2 if beside else self.count < 2
        self._workers: list[_Worker] = []
        self._next = 0

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Each worker told to stop once idle, and ended if it has not within a second: in a
        thread of its own, so that the job goes on meanwhile (a worker's Python takes ~20 ms
        to end, a pack import's two workers 3% of it)."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.inbox.put(None)
        if workers:
            threading.Thread(
                target=_end, args=(workers,), name="repli-worker-end", daemon=True
            ).start()

    def in_order(self, tasks: Iterable[T], work: Callable[[T], R], ahead: int = 0) -> Iterator[R]:
        """``work(task)`` for each task, in order, the next ``ahead`` tasks (twice the workers
        by default) being worked on meanwhile; memory stays that of those. The first ones
        are handed out at once: the caller may do other work before it asks for the first
        answer. What ``work`` raises for a task is raised in its place; what ``tasks``
        raises is raised after the answers of the tasks read before it (a file is refused
        at its first wrong line, whichever process found it). ``work`` must be a module's
        function (or a partial of one): it is sent to the workers by name."""
        line = _Line(iter(tasks), ahead or 2 * self.count)
        line.fill(self, work)
        return self._answers(line, work)

    def _answers(self, line: _Line[T], work: Callable[[T], R]) -> Iterator[R]:
        while line.waiting:
            task, worker = line.waiting.popleft()
            yield self._answer(work, task, worker)
            line.fill(self, work)
        if line.failure is not None:
            raise line.failure

    def _hand(self, work: Callable[[T], R], task: T) -> _Worker | None:
        """The worker given ``task`` (in turn), or None when the work is done here."""
        if self.broken:
            return None
        try:
            while len(self._workers) < self.count:
                self._workers.append(_Worker.start())
            worker = self._workers[self._next % self.count]
            self._next += 1
            worker.inbox.put((work, task))
            return worker
        except Exception as exc:  # cannot start: whatever the reason, the work is done here
            self._give_up(exc)
            return None

    def _answer(self, work: Callable[[T], R], task: T, worker: _Worker | None) -> R:
        if worker is not None and not self.broken:
            try:
                kind, value = worker.answer()
            except _Gone as exc:
                self._give_up(exc)
            else:
                if kind == "error":
                    raise value
                return value  # type: ignore[no-any-return]
        return work(task)

    def _give_up(self, why: BaseException) -> None:
        if not self.broken:
            log.warning("the worker processes stopped (%s): the rest is done here", why)
        self.broken = True
        self.close()


@dataclass
class _Line(Generic[T]):
    """The tasks of one ``in_order``: those handed out and not answered yet, in order."""

    source: Iterator[T]
    ahead: int
    waiting: deque[tuple[T, _Worker | None]] = field(default_factory=deque)
    failure: Exception | None = None
    ended: bool = False

    def fill(self, workers: Workers, work: Callable[[T], Any]) -> None:
        while not self.ended and len(self.waiting) < self.ahead:
            try:
                task = next(self.source)
            except StopIteration:
                self.ended = True
            except Exception as exc:  # raised after the answers of the tasks before it
                self.failure, self.ended = exc, True
            else:
                self.waiting.append((task, workers._hand(work, task)))


class _Gone(Exception):
    """A worker that died, or never started."""


@dataclass
class _Worker:
    process: Any  # multiprocessing's SpawnProcess
    inbox: queue.Queue[object]  # tasks, sent by the feeder thread (a send may wait)
    answers: Connection
    feeder: threading.Thread

    @classmethod
    def start(cls) -> _Worker:
        import multiprocessing  # lazy: spawned workers are for large jobs only

        context = multiprocessing.get_context("spawn")
        tasks_in, tasks_out = context.Pipe(duplex=False)
        answers_in, answers_out = context.Pipe(duplex=False)
        process = context.Process(
            target=_serve, args=(tasks_in, answers_out), name="repli-worker", daemon=True
        )
        try:
            process.start()
        finally:  # this process keeps its own ends only: a dead worker's pipe then ends
            tasks_in.close()
            answers_out.close()
        inbox: queue.Queue[object] = queue.Queue()
        feeder = threading.Thread(
            target=_feed, args=(inbox, tasks_out), name="repli-worker-feed", daemon=True
        )
        feeder.start()
        return cls(process, inbox, answers_in, feeder)

    def answer(self) -> tuple[str, Any]:
        """The next answer; _Gone when the worker died before giving it whole."""
        ready = wait([self.answers, self.process.sentinel])
        if self.answers not in ready:
            raise _Gone(f"worker {self.process.pid} ended, exit code {self.process.exitcode}")
        try:
            found: tuple[str, Any] = self.answers.recv()
        except (EOFError, OSError) as exc:  # died while it wrote it
            raise _Gone(f"worker {self.process.pid}: {str(exc) or 'its answer is cut'}") from None
        return found

    def end(self) -> None:
        """Once told to stop (None in its inbox)."""
        self.process.join(1.0)
        if self.process.is_alive():
            self.process.terminate()  # busy with a task no one waits for any more
            self.process.join(1.0)
        self.feeder.join(1.0)
        self.answers.close()


def _end(workers: list[_Worker]) -> None:
    for worker in workers:
        worker.end()


def _feed(inbox: queue.Queue[object], tasks: Connection) -> None:
    """Sends each task (None: stop) to its worker; ends when the worker is gone."""
    try:
        while True:
            item = inbox.get()
            tasks.send(item)
            if item is None:
                return
    except OSError:  # the worker died: its answer's pipe says so
        return
    finally:
        tasks.close()


def _serve(tasks: Connection, answers: Connection) -> None:
    """A worker: each (work, task) answered by ("value", answer) or ("error", exception),
    until None or the end of its pipe (the job's process is gone)."""
    while True:
        try:
            item = tasks.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        work, task = item
        try:
            answer: tuple[str, object] = ("value", work(task))
        except Exception as exc:  # handed back, raised in the job's process
            answer = ("error", exc)
        answers.send(answer)
