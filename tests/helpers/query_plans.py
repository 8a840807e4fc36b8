"""SQLite's plans of the queries a block runs: what a test asserts to say that a query reads
an index, not a whole table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def query_plans(
    engine: Engine, naming: str = "", kinds: tuple[str, ...] = ("SELECT",)
) -> Iterator[list[str]]:
    """The plan of each SELECT (or statement of ``kinds``: an INSERT … SELECT reads too) run
    on ``engine`` within the block (those whose text holds ``naming``), as "SELECT … → step /
    step", explained just before it runs."""
    plans: list[str] = []

    def explain(conn: Any, cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith(kinds) and naming in statement:
            rows = cursor.connection.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            plans.append(statement.split("FROM")[0][:60] + " → " + " / ".join(r[3] for r in rows))

    event.listen(engine, "before_cursor_execute", explain)
    try:
        yield plans
    finally:
        event.remove(engine, "before_cursor_execute", explain)
