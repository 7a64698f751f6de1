"""Who may do what: DESIGN.md's role matrix, in exactly one place."""

from __future__ import annotations

import enum

from ..models import Role, User
from .errors import PermissionDenied


class Permission(str, enum.Enum):
    READ = "read"
    IMPORT_ARTICLES = "import_articles"
    CREATE_CLAIMS = "create_claims"
    ACCEPT_CANDIDATES = "accept_candidates"
    TAKE = "take"
    EDIT_CLAIM = "edit_claim"
    ADD_EVIDENCE = "add_evidence"
    COMMENT = "comment"
    PROPOSE_VERDICT = "propose_verdict"
    LINK_CLAIMS = "link_claims"
    ASSIGN = "assign"
    SET_PRIORITY = "set_priority"
    SEND_BACK = "send_back"
    APPROVE = "approve"
    REOPEN = "reopen"
    VIEW_ACTIVITY = "view_activity"
    VIEW_DASHBOARD = "view_dashboard"
    EXPORT = "export"
    EDIT_ALIASES = "edit_aliases"
    PUBLISH = "publish"
    MANAGE_FEEDS = "manage_feeds"  # subscribe the desk to feeds, triage what they bring
    MANAGE_USERS = "manage_users"
    MANAGE_WEBHOOKS = "manage_webhooks"


_REVIEWER = frozenset(
    {
        Permission.READ,
        Permission.IMPORT_ARTICLES,
        Permission.CREATE_CLAIMS,
        Permission.ACCEPT_CANDIDATES,
        Permission.TAKE,
        Permission.EDIT_CLAIM,
        Permission.ADD_EVIDENCE,
        Permission.COMMENT,
        Permission.PROPOSE_VERDICT,
        Permission.LINK_CLAIMS,
    }
)
_EDITOR = _REVIEWER | {
    Permission.ASSIGN,
    Permission.SET_PRIORITY,
    Permission.SEND_BACK,
    Permission.APPROVE,
    Permission.REOPEN,
    Permission.VIEW_ACTIVITY,
    Permission.VIEW_DASHBOARD,
    Permission.EXPORT,
    Permission.EDIT_ALIASES,
    Permission.PUBLISH,
    Permission.MANAGE_FEEDS,
}
_ADMIN = _EDITOR | {Permission.MANAGE_USERS, Permission.MANAGE_WEBHOOKS}

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.REVIEWER: _REVIEWER,
    Role.EDITOR: frozenset(_EDITOR),
    Role.ADMIN: frozenset(_ADMIN),
}

_DENIED = {
    Permission.ASSIGN: "Only editors can assign claims.",
    Permission.SET_PRIORITY: "Only editors can change a claim's priority.",
    Permission.SEND_BACK: "Only editors can send a verdict back.",
    Permission.APPROVE: "Only editors can approve verdicts.",
    Permission.REOPEN: "Only editors can reopen a verified claim.",
    Permission.VIEW_ACTIVITY: "Only editors can see the desk's activity.",
    Permission.VIEW_DASHBOARD: "Only editors can see the dashboard.",
    Permission.EXPORT: "Only editors can export claims.",
    Permission.EDIT_ALIASES: "Only editors can change the alias table.",
    Permission.PUBLISH: "Only editors can publish or unpublish a fact check.",
    Permission.MANAGE_FEEDS: "Only editors can subscribe to feeds and triage what they bring.",
    Permission.MANAGE_USERS: "Only administrators can manage accounts.",
    Permission.MANAGE_WEBHOOKS: "Only administrators can manage webhooks.",
}


def can(user: User | None, permission: Permission) -> bool:
    return user is not None and user.is_active and permission in MATRIX[user.role]


def require(user: User | None, permission: Permission) -> None:
    if not can(user, permission):
        raise PermissionDenied(_DENIED.get(permission, "You are not allowed to do that."))
