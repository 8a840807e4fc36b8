"""Free-text search of contacts: every word must appear (as a substring, any case) in the
caller's name or number, the subject, the notes, the branch or the digits typed.

On SQLite, words of three letters or more are answered by the trigram index ``contacts_fts``
(migration 0003), all of them in one MATCH; shorter words use LIKE. Saves only note what
changed (``search_pending``); :func:`catch_up` indexes it before a search. On PostgreSQL
each word is one ILIKE on the searched columns joined by spaces, which pg_trgm's index
``ix_contacts_words`` answers (migration 0011: the same expression). The same filter
compiles to each, so a filter need not know its database.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from sqlalchemy import Boolean, Connection, Engine, and_, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from desktop.store.models import ContactRow

SEARCHED = ("caller_name", "caller_number", "subject", "notes", "branch_name", "digits_typed")
_COLUMNS = ", ".join(SEARCHED)
_CATCH_UP = (
    "DELETE FROM contacts_fts WHERE rowid IN (SELECT contact_rowid FROM search_pending)",
    f"INSERT INTO contacts_fts(rowid, {_COLUMNS}) SELECT rowid, {_COLUMNS} FROM contacts"
    " WHERE rowid IN (SELECT contact_rowid FROM search_pending)",
    "DELETE FROM search_pending",
)


def catch_up(engine: Engine, secure: bool = False) -> None:
    """Bring the search index up to date with the contacts saved, corrected or deleted
    since the last search (SQLite only; a few rows at a time in practice). ``secure``: the
    text taken out of the index is overwritten on disk (an erasure)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        if secure:
            conn.exec_driver_sql("PRAGMA secure_delete = ON")
        catch_up_within(conn)


def catch_up_within(conn: Connection) -> None:
    """:func:`catch_up` inside the caller's transaction (SQLite only): an erasure's or a
    purge's index forgets the text in the very commit that deletes it, with no second wait
    for the store's write lock between them."""
    if conn.dialect.name != "sqlite":
        return
    if conn.exec_driver_sql("SELECT 1 FROM search_pending LIMIT 1").first() is None:
        return
    for statement in _CATCH_UP:
        conn.exec_driver_sql(statement)


class ContainsWords(ColumnElement[bool]):
    inherit_cache = False  # compiled per query: the words shape the SQL
    type = Boolean()

    def __init__(self, words: list[str]) -> None:
        self.words = tuple(words)

    def as_like(self) -> ColumnElement[bool]:
        return and_(*(_like(word) for word in self.words))


def _like(word: str) -> ColumnElement[bool]:
    """The word anywhere in a searched column; its own % and _ are letters, not LIKE's."""
    pattern = _pattern(word)
    return or_(*(getattr(ContactRow, column).ilike(pattern, escape="\\") for column in SEARCHED))


def _pattern(word: str) -> str:
    literal = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{literal}%"


def contains_words(text: str) -> ContainsWords | None:
    words = text.split()
    return ContainsWords(words) if words else None


@compiles(ContainsWords)
def _generic(element: ContainsWords, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.as_like(), **kw))


@compiles(ContainsWords, "postgresql")
def _postgresql(element: ContainsWords, compiler: Any, **kw: Any) -> str:
    """The searched columns joined by spaces, as ix_contacts_words has them (no word holds a
    space: words are split on them, so none matches across two columns)."""

    from sqlalchemy import literal_column

    space: ColumnElement[str] = literal_column("' '")
    columns = [getattr(ContactRow, column) for column in SEARCHED]
    words = reduce(lambda joined, column: joined.op("||")(space).op("||")(column), columns)
    likes = [words.ilike(_pattern(word), escape="\\") for word in element.words]
    return str(compiler.process(and_(*likes), **kw))


@compiles(ContainsWords, "sqlite")
def _sqlite(element: ContainsWords, compiler: Any, **kw: Any) -> str:
    from sqlalchemy import bindparam, literal_column, select, text

    long = [w for w in element.words if len(w) >= 3]
    short = [w for w in element.words if len(w) < 3]
    parts: list[ColumnElement[bool]] = []
    if long:
        query = " AND ".join('"' + w.replace('"', '""') + '"' for w in long)
        matched: Any = (
            select(literal_column("rowid"))
            .select_from(text("contacts_fts"))
            .where(text("contacts_fts MATCH :fts_query").bindparams(bindparam("fts_query", query)))
        )
        parts.append(literal_column("contacts.rowid").in_(matched.scalar_subquery()))
    parts += [_like(word) for word in short]
    return str(compiler.process(and_(*parts), **kw))
