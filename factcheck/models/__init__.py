"""Typed SQLAlchemy models, one module per aggregate."""

from .article import Article
from .base import Base
from .candidate import CandidateStatus, ClaimCandidate
from .claim import DEFAULT_PRIORITY, PRIORITY_LABELS, QUALIFIERS, Category, Claim, ClaimStatus, Verdict
from .event import Event, EventType
from .evidence import Evidence, Stance
from .feed import ArticleIntake, Feed, FeedItem, IntakeStatus, ItemOutcome
from .history import ClaimEvent, EventAction
from .link_import import LinkImport
from .links import Alias, AliasGroup, ClaimLink, LinkKind
from .publication import Publication
from .rate_limit import PublicRateLimit
from .rollups import (
    ALL_CATEGORIES,
    ArticleClaimCount,
    ArticlesWithClaims,
    AssigneeOpenCount,
    ClaimDailyCount,
    ClaimTotal,
    ReviewerDailyCount,
)
from .throttle import LoginThrottle
from .token import ApiToken, TokenScope
from .user import Role, User
from .webhook import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "ALL_CATEGORIES",
    "Alias",
    "AliasGroup",
    "ApiToken",
    "Article",
    "ArticleClaimCount",
    "ArticlesWithClaims",
    "ArticleIntake",
    "AssigneeOpenCount",
    "Base",
    "CandidateStatus",
    "Category",
    "Claim",
    "ClaimCandidate",
    "ClaimDailyCount",
    "ClaimEvent",
    "ClaimLink",
    "ClaimTotal",
    "ClaimStatus",
    "DEFAULT_PRIORITY",
    "DeliveryStatus",
    "Event",
    "EventType",
    "EventAction",
    "Feed",
    "FeedItem",
    "IntakeStatus",
    "ItemOutcome",
    "LinkImport",
    "LinkKind",
    "LoginThrottle",
    "Evidence",
    "PRIORITY_LABELS",
    "Publication",
    "PublicRateLimit",
    "ReviewerDailyCount",
    "QUALIFIERS",
    "Role",
    "Stance",
    "TokenScope",
    "User",
    "Verdict",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
