"""Keyset (seek) pagination: a page costs the same at any depth.

A list is ordered by sort keys, the last of which is unique (the id). A page
is "the next per_page rows after this row's keys" -- with an index whose
columns match the keys, a range scan of per_page index entries -- instead of
OFFSET, which reads and throws away every row before the page. The last page
is the first page of the reversed order, read backwards; Previous is a seek in
the reversed order from the first row shown.

Position travels in the URL as an opaque cursor: base64 of a small JSON
document holding the direction, the list's name and the sort key values of
one row. A cursor is checked strictly (shape, types, ranges); one that is
tampered with, truncated or made for another list gives the first page and a
notice, never an error.

For an index range scan, give a list keys that all sort in the same direction
and are never NULL (negate a number to turn DESC into ASC, as the queue does
with priority): the seek is then one row-value comparison, (a, b, id) > (x, y,
z), which PostgreSQL answers from the index. Keys that mix directions or
may be NULL (NULLs sort last in the list's order) are paged correctly too, by
an expanded comparison, but that needs its own care to be fast.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

from sqlalchemy import Select, and_, bindparam, false, or_, select, tuple_
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

MAX_CURSOR = 400  # characters; a real one is under 150
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_INT_RANGE = (-(2**63), 2**63 - 1)
_MAX_TEXT = 200

DIALECT = postgresql.psycopg2.dialect()

BAD_CURSOR = "That page link was not valid (it may have been cut short), so this is the first page."

AFTER, BEFORE, LAST = "a", "b", "z"


@dataclass(frozen=True)
class SortKey:
    """One ORDER BY term: the expression, the Python type of its values, its direction."""

    expr: ColumnElement
    kind: type  # int, str or datetime: what a cursor may carry for it
    descending: bool = False
    nullable: bool = False  # NULLs come last in the list's order (first in its reverse)


@dataclass(frozen=True)
class _Term:
    expr: ColumnElement
    descending: bool
    nullable: bool
    nulls_last: bool


class Keyset:
    """A list's order: sort keys ending in a unique one. ``name`` ties cursors to the list."""

    def __init__(self, name: str, *keys: SortKey):
        if not keys:
            raise ValueError("a keyset needs at least one key")
        self.name = name
        self.keys = keys

    def _terms(self, reverse: bool) -> list[_Term]:
        return [
            _Term(k.expr, k.descending != reverse, k.nullable, not reverse) for k in self.keys
        ]

    def order_by(self, reverse: bool = False, exprs: Sequence[ColumnElement] | None = None) -> list[ColumnElement]:
        """ORDER BY terms; ``exprs`` stand in for the keys' expressions (a subquery's columns)."""
        out = []
        for t, expr in zip(self._terms(reverse), exprs or [t.expr for t in self._terms(reverse)]):
            term = expr.desc() if t.descending else expr.asc()
            if t.nullable:  # only then: a plain DESC must stay plain to match its index
                term = term.nulls_last() if t.nulls_last else term.nulls_first()
            out.append(term)
        return out

    def after(self, values: Sequence[Any], reverse: bool = False) -> ColumnElement:
        """Rows that come after a row with these key values (in the reversed order if ``reverse``)."""
        terms = self._terms(reverse)
        if not any(t.nullable for t in terms) and len({t.descending for t in terms}) == 1:
            columns, row = tuple_(*(t.expr for t in terms)), tuple_(*values)
            return columns < row if terms[0].descending else columns > row
        return _expanded_after(terms, list(values))

    # --- cursors ----------------------------------------------------------------

    def cursor(self, direction: str, values: Sequence[Any] = ()) -> str:
        doc = {"l": self.name, "d": direction}
        if direction != LAST:
            doc["k"] = [_encode_value(v) for v in values]
        raw = json.dumps(doc, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def read_cursor(self, token: str | None) -> tuple[str, tuple | None] | None:
        """(direction, key values) from a cursor; None when it is not a valid one for this list."""
        if not isinstance(token, str) or not 0 < len(token) <= MAX_CURSOR or not _BASE64URL.fullmatch(token):
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            doc = json.loads(raw.decode("utf-8"))
        except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not isinstance(doc, dict) or doc.get("l") != self.name:
            return None
        direction = doc.get("d")
        if direction == LAST:
            return (LAST, None) if set(doc) == {"l", "d"} else None
        if direction not in (AFTER, BEFORE) or set(doc) != {"l", "d", "k"}:
            return None
        raw_values = doc["k"]
        if not isinstance(raw_values, list) or len(raw_values) != len(self.keys):
            return None
        values = []
        for key, raw_value in zip(self.keys, raw_values):
            ok, value = _decode_value(key, raw_value)
            if not ok:
                return None
            values.append(value)
        return direction, tuple(values)


def _expanded_after(terms: list[_Term], values: list[Any]) -> ColumnElement:
    """first key beyond, or equal and the rest after: correct for any directions and NULLs."""
    term, value = terms[0], values[0]
    beyond = _beyond(term, value)
    if len(terms) == 1:
        return beyond
    same = term.expr.is_(None) if value is None else term.expr == value
    return or_(beyond, and_(same, _expanded_after(terms[1:], values[1:])))


def _beyond(t: _Term, value: Any) -> ColumnElement:
    if value is None:  # the cursor row is in the NULL block
        return false() if t.nulls_last else t.expr.is_not(None)
    compared = t.expr < value if t.descending else t.expr > value
    if t.nullable and t.nulls_last:
        return or_(compared, t.expr.is_(None))
    return compared


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _decode_value(key: SortKey, raw: Any) -> tuple[bool, Any]:
    if raw is None:
        return key.nullable, None
    if key.kind is int:
        ok = type(raw) is int and _INT_RANGE[0] <= raw <= _INT_RANGE[1]
        return ok, raw
    if key.kind is datetime:
        if not isinstance(raw, str) or len(raw) > 40:
            return False, None
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            return False, None
        return moment.tzinfo is not None, moment
    if key.kind is str:
        return isinstance(raw, str) and len(raw) <= _MAX_TEXT and "\x00" not in raw, raw
    return False, None


# --- one page ---------------------------------------------------------------------


@dataclass
class Page:
    """One page of a keyset list, and the cursors of the pages around it (None: no such page)."""

    rows: list
    per_page: int
    has_prev: bool = False
    has_next: bool = False
    prev: str | None = None  # the rows just before this page
    next: str | None = None  # the rows just after it
    last: str | None = None  # the last page (when this is not it)
    notice: str | None = None  # why the cursor asked for was not followed


def fetch_page(
    session: Session, stmt: Select, keyset: Keyset, cursor: str | None, per_page: int, *, narrow: bool = False
) -> Page:
    """The page of ``stmt`` (filters and joins, no ORDER BY or LIMIT) that ``cursor`` points to.

    No cursor: the first page. A cursor past the end: the last page; before
    the start: the first page. Rows come back as they were selected, without
    the sort key columns this adds.

    ``narrow``: the filters pick out few rows through an index of their own (a
    date range of another column, say), so read those and sort them rather than
    walk the order's index past every row that fails the filter: PostgreSQL
    assumes matches are spread evenly along that index, and when they bunch up
    (last month's verifications sit together) the walk reads most of the table.
    A subquery with OFFSET 0 keeps the planner from pushing the order into it.
    """
    width = len(stmt.column_descriptions)  # an entity counts once, as it comes back in a row
    keyed = _keyed(stmt, keyset)

    def rows(reverse: bool, values: tuple | None, limit: int) -> list:
        q = keyed if values is None else keyed.where(keyset.after(values, reverse=reverse))
        return list(session.execute(_ordered(q, keyset, width, reverse, narrow).limit(limit)).all())

    return _walk(rows, keyset, cursor, per_page, width, tuple)


def _keyed(stmt: Select, keyset: Keyset) -> Select:
    return stmt.add_columns(*(k.expr.label(f"_page_key_{i}") for i, k in enumerate(keyset.keys)))


def _ordered(q: Select, keyset: Keyset, width: int, reverse: bool, narrow: bool) -> Select:
    if narrow:
        matches = q.offset(0).subquery("matches")
        columns = list(matches.c)
        return select(*columns).order_by(*keyset.order_by(reverse, exprs=columns[width:]))
    return q.order_by(*keyset.order_by(reverse))


def _walk(rows, keyset: Keyset, cursor: str | None, per_page: int, width: int, convert) -> Page:
    """Follow ``cursor`` with ``rows(reverse, key values or None, limit)``; rows become ``convert(row[:width])``."""

    def keys_of(row) -> tuple:
        return tuple(row[width:])

    notice = None
    direction, values = "first", None
    if cursor:
        read = keyset.read_cursor(cursor)
        if read is None:
            notice = BAD_CURSOR
        else:
            direction, values = read

    found: list = []
    has_prev = has_next = False
    if direction == AFTER:
        found = rows(False, values, per_page + 1)
        if found:
            has_next, found = len(found) > per_page, found[:per_page]
            has_prev = bool(rows(True, keys_of(found[0]), 1))
        else:
            direction = LAST  # past the end
    if direction == BEFORE:
        found = rows(True, values, per_page + 1)
        if found:
            has_prev, found = len(found) > per_page, found[:per_page][::-1]
            has_next = bool(rows(False, keys_of(found[-1]), 1))
        else:
            direction = "first"  # before the start
    if direction == LAST:
        found = rows(True, None, per_page + 1)
        has_prev, found = len(found) > per_page, found[:per_page][::-1]
    if direction == "first":
        found = rows(False, None, per_page + 1)
        has_next, found = len(found) > per_page, found[:per_page]

    return Page(
        rows=[convert(row[:width]) for row in found],
        per_page=per_page,
        has_prev=has_prev,
        has_next=has_next,
        prev=keyset.cursor(BEFORE, keys_of(found[0])) if has_prev else None,
        next=keyset.cursor(AFTER, keys_of(found[-1])) if has_next else None,
        last=keyset.cursor(LAST) if has_next else None,
        notice=notice,
    )


MAX_SHAPES = 512  # compiled statements one cache keeps; the busiest lists have a few dozen shapes


def run_compiled(connection, cache: dict, key: tuple, build, values: dict) -> list:
    """Rows of ``build()``'s statement, built and compiled once per ``key`` (a shape of
    filters whose values are bound parameters) into ``cache``, then sent as SQL with
    ``values`` through ``exec_driver_sql``: no statement building, cache-key computing or
    result type processing per request (enum columns come back as their strings)."""
    sql, constants = compiled_sql(cache, key, build)
    return connection.exec_driver_sql(sql, {**constants, **values}).all()


def compiled_sql(cache: dict, key: tuple, build) -> tuple[str, dict]:
    """``build()``'s statement as SQL for the driver and its constant parameters, compiled once per ``key``."""
    found = cache.get(key)
    if found is None:
        statement = build().compile(dialect=DIALECT)
        if len(cache) >= MAX_SHAPES:
            cache.clear()
        found = cache[key] = (str(statement), dict(statement.params))
    return found


class CompiledList:
    """A keyset list whose statements are built and compiled once per shape, then sent as SQL.

    For the busiest lists (the queue): building a select of a dozen columns,
    computing its cache key and processing each result value through its
    SQLAlchemy type cost several times what PostgreSQL spends on the page.
    Here ``build()`` makes the list's statement with bound parameters in place of
    the filters' values (see claims.bound_query), and a page is the compiled SQL of
    its (shape, direction, seek) sent with ``values`` by ``exec_driver_sql``. Rows
    come back as the driver gives them (enum columns as their strings):
    ``convert`` turns the selected columns into the caller's row.

    The statements are the same ones ``fetch_page`` builds (tests/test_queue_paging.py
    pages both ways and compares), so plans and indexes are unchanged.
    """

    def __init__(self, keyset: Keyset):
        self.keyset = keyset
        self._compiled: dict[tuple, tuple[str, dict, int]] = {}

    def page(
        self,
        connection,
        shape: tuple,
        build,
        values: dict,
        cursor: str | None,
        per_page: int,
        convert,
        *,
        narrow: bool = False,
    ) -> Page:
        keyset = self.keyset

        def compiled(reverse: bool, seek: tuple | None, limit: int) -> tuple[str, dict, int]:
            key = (shape, reverse, seek, limit, narrow)
            found = self._compiled.get(key)
            if found is None:
                stmt = build()
                width = len(stmt.column_descriptions)
                keyed = _keyed(stmt, keyset)
                if seek is not None:
                    bound = [None if absent else bindparam(f"_seek_{i}", type_=k.expr.type)
                             for i, (k, absent) in enumerate(zip(keyset.keys, seek))]
                    keyed = keyed.where(keyset.after(bound, reverse=reverse))
                statement = _ordered(keyed, keyset, width, reverse, narrow).limit(limit).compile(dialect=DIALECT)
                if len(self._compiled) >= MAX_SHAPES:
                    self._compiled.clear()
                found = self._compiled[key] = (str(statement), dict(statement.params), width)
            return found

        def rows(reverse: bool, seek_values: tuple | None, limit: int) -> list:
            seek = None if seek_values is None else tuple(v is None for v in seek_values)
            sql, constants, _ = compiled(reverse, seek, limit)
            parameters = {**constants, **values}
            if seek_values is not None:
                parameters.update((f"_seek_{i}", v) for i, v in enumerate(seek_values) if v is not None)
            return connection.exec_driver_sql(sql, parameters).all()

        width = compiled(False, None, per_page + 1)[2]  # the same for every statement of a shape
        return _walk(rows, keyset, cursor, per_page, width, convert)
