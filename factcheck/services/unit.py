"""One transaction per use case.

A public service function is one unit of work: it commits once, at the
outermost boundary, or rolls back entirely. Use cases compose: when a use
case runs inside another (reusing a verdict takes the claim, copies the
evidence and proposes), the inner ones join the outer unit and commit
nothing, so the whole is all-or-nothing.

    @use_case
    def take_claim(session, actor_id, claim_id): ...

    with unit_of_work(session):   # the same, for a block
        ...
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from typing import Callable, Iterator, ParamSpec, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .errors import StaleClaim

_DEPTH = "factcheck.unit_depth"

P = ParamSpec("P")
R = TypeVar("R")


def in_unit(session: Session) -> bool:
    """True inside a use case: an inner step must not commit."""
    return session.info.get(_DEPTH, 0) > 0


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """Commit when the outermost unit ends; roll everything back on any exception."""
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        yield session
        if depth == 0:
            session.commit()
    except StaleDataError as exc:
        if depth == 0:
            session.rollback()
        raise StaleClaim("The claim was changed by someone else at the same moment. Nothing was saved.") from exc
    except BaseException:
        if depth == 0:
            session.rollback()
        raise
    finally:
        session.info[_DEPTH] = depth


def use_case(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func(session, ...)`` as one unit of work (joining an outer one if any)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        session = args[0] if args else kwargs["session"]
        with unit_of_work(session):  # type: ignore[arg-type]
            return func(*args, **kwargs)

    return wrapper
