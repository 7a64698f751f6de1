"""Typed SQLAlchemy models, one module per aggregate."""

from .article import Article
from .base import Base
from .claim import DEFAULT_PRIORITY, PRIORITY_LABELS, QUALIFIERS, Category, Claim, ClaimStatus, Verdict
from .evidence import Evidence, Stance
from .history import ClaimEvent, EventAction
from .throttle import LoginThrottle
from .user import Role, User

__all__ = [
    "Article",
    "Base",
    "Category",
    "Claim",
    "ClaimEvent",
    "ClaimStatus",
    "DEFAULT_PRIORITY",
    "EventAction",
    "LoginThrottle",
    "Evidence",
    "PRIORITY_LABELS",
    "QUALIFIERS",
    "Role",
    "Stance",
    "User",
    "Verdict",
]
