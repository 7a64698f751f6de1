"""The claim page's linked claims and suggestions, written as HTML in one pass.

Each suggestion carries two one-button forms and each link one or two, and every
form's CSRF input went through WTForms (html_params, Markup.format): on a page with
eight suggestions that was an eighth of the claim page's CPU, more than the rest of
the section's markup. Here each row is one format string with its values escaped
once, and the token is written as the other forms of the page write theirs.

The markup is what ``templates/search/_related.html`` wrote before;
tests/test_claim_page_html.py renders both for hostile rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from ...models import ClaimStatus, LinkKind, Verdict

STATUS_BADGES = {s: f'<span class="badge badge--{s.value}">{escape(s.label)}</span>' for s in ClaimStatus}
VERDICT_BADGES = {v: f'<span class="verdict verdict--{v.value}">{escape(v.label)}</span>' for v in Verdict}
_LINK_BUTTONS = (("same", "Link as same claim"), ("related", "Link as related"))


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else do_truncate(None, text, length, leeway=5)  # as Jinja's |truncate


def token_input(token: str) -> str:
    return f'<input name="csrf_token" type="hidden" value="{escape(token)}">'


def link_rows(
    links: Iterable,
    *,
    claim,
    article_title: str,
    claims_path: str,
    links_path: str,
    reuse_prefix: str,
    conflicts: set[int],
    can_reuse: Callable,
    can_link: bool,
    figure: Callable,
    token: str,
) -> Markup:
    """The ``<li>`` of each (link, other claim); paths as the routes give them: ``claims_path`` the
    claim list's, ``links_path`` this claim's links', ``reuse_prefix`` a reuse without the source id."""
    hidden = token_input(token)
    here = None
    out = []
    for link, other in links:
        oid = int(other.id)
        conflict = oid in conflicts
        verdict = f" {VERDICT_BADGES[other.verdict]}" if other.verdict else " "
        parts = [
            f'<li class="{"link--conflict" if conflict else ""}">\n'
            f'<span class="tag">{escape(link.kind.label)}</span>\n'
            f'<a href="{claims_path}/{oid}">#{oid}</a> {STATUS_BADGES[other.status]}{verdict}\n'
            f"<q>{escape(_truncate(other.quote, 140))}</q>\n"
        ]
        if conflict:
            if here is None:
                here = (
                    f"{escape(figure(claim.quantity_value, claim.quantity_unit, claim.quantity_qualifier))} here "
                    f"({escape(claim.claimant or _truncate(article_title, 40))})"
                )
            theirs = escape(figure(other.quantity_value, other.quantity_unit, other.quantity_qualifier))
            parts.append(
                f'<p class="conflict" role="note"><strong>Conflicting figures:</strong> {here}, {theirs} '
                f'in claim #{oid} ({escape(other.claimant or "its article")}).</p>\n'
            )
        parts.append('<div class="actions">\n')
        if can_reuse(link, other):
            label = escape(other.verdict.label) if other.verdict else ""
            parts.append(
                f'<form method="post" action="{reuse_prefix}{oid}">\n{hidden}\n'
                f'<button type="submit" class="button button--small">Reuse its verdict ({label})</button>\n</form>\n'
            )
        if can_link:
            parts.append(
                f'<form method="post" action="{links_path}/{int(link.id)}/delete">\n{hidden}\n'
                f'<button type="submit" class="button button--small button--secondary" '
                f'data-confirm="Unlink claim #{oid} from this claim?">Unlink</button>\n</form>\n'
            )
        parts.append("</div>\n</li>\n")
        out.append("".join(parts))
    return Markup("".join(out))


def suggestion_rows(suggestions: Iterable, *, claims_path: str, links_path: str, can_link: bool, token: str) -> Markup:
    """The ``<li>`` of each suggested claim, with its two link buttons when it is not linked yet."""
    hidden = token_input(token)
    out = []
    for s in suggestions:
        oid = int(s.claim.id)
        parts = [
            f'<li>\n<a href="{claims_path}/{oid}">#{oid}</a> {STATUS_BADGES[s.claim.status]}\n'
            f"<q>{escape(_truncate(s.claim.quote, 140))}</q>\n"
            f'<span class="muted">in “{escape(_truncate(s.article_title, 60))}”</span>\n'
            f'<p class="why">Why: {escape("; ".join(s.reasons)) or "similar words"}</p>\n'
        ]
        if s.conflict:
            parts.append(f'<p class="conflict" role="note"><strong>Different figures:</strong> {escape(s.conflict)}.</p>\n')
        if not s.link and can_link:
            parts.append('<div class="actions">\n')
            for kind, label in _LINK_BUTTONS:
                parts.append(
                    f'<form method="post" action="{links_path}#related">\n{hidden}\n'
                    f'<input type="hidden" name="other" value="{oid}">\n'
                    f'<input type="hidden" name="kind" value="{kind}">\n'
                    f'<button type="submit" class="button button--small button--secondary">{label}</button>\n</form>\n'
                )
            parts.append("</div>\n")
        elif s.link:
            parts.append(f'<span class="tag">{escape(s.link.kind.label)}</span>\n')
        parts.append("</li>\n")
        out.append("".join(parts))
    return Markup("".join(out))


# The blank "Link to a claim by number" form, as _related.html writes it from LinkForm(formdata=None):
# building the form and its fields through the macros cost a third of the section.
_LINK_KIND_OPTIONS = "".join(
    f'<option value="{escape(k.value)}"{" selected" if k is LinkKind.SAME else ""}>{escape(k.label)}</option>' for k in LinkKind
)
_LINK_PANEL_FIELDS = (
    '<div class="field">\n<label for="other">Claim #</label>\n'
    '<input id="other" max="2147483647" min="1" name="other" required type="number" value="">\n</div>\n'
    '<div class="field">\n<label for="kind">Link as</label>\n'
    f'<select id="kind" name="kind">{_LINK_KIND_OPTIONS}</select>\n</div>\n'
    '<div class="field">\n<label for="note">Note</label>\n'
    '<input id="note" maxlength="500" name="note" type="text" value="">\n</div>\n'
    '<div class="field"><input class="button" id="submit" name="submit" type="submit" value="Link"></div>\n'
)


def link_panel(*, links_path: str, token: str) -> Markup:
    """The panel with a blank link form (a form redisplayed with input and errors goes through the template)."""
    return Markup(
        '<details class="panel">\n<summary>Link to a claim by number</summary>\n'
        f'<form method="post" action="{links_path}#related" novalidate class="grid-3">\n{token_input(token)}\n'
        f"{_LINK_PANEL_FIELDS}</form>\n</details>\n"
    )
