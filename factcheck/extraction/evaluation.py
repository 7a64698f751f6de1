"""Measuring the extractor against hand-labelled claims (shared by tests and bench).

Matching rule (``MATCHING_RULE`` below is the text printed by the bench):

* a candidate matches a gold claim when their character spans overlap by at
  least half of the shorter of the two spans, and, when the gold claim has a
  quantity, the candidate's quantity has the same value;
* each gold claim matches at most one candidate and vice versa. Pairs are
  chosen greedily by span overlap (Jaccard, highest first) and the matching is
  then completed to maximum size with augmenting paths, so a candidate that
  could serve two gold claims never costs a match.

Precision = matched / candidates, recall = matched / gold claims. On the
matched pairs the fields are compared as follows: category exactly;
claimant case-insensitively after dropping punctuation, possessives and
"the/a/an/one", matching when either word set contains the other (against the
whole gold claimant or its part before the first comma, so "Col. Sean Ryan,
US military spokesman" accepts "US military spokesman Col. Sean Ryan"; both
absent also matches); quantity as value + unit + qualifier on the pairs whose
gold claim has a quantity; hedged exactly.

"Half of the shorter span" is lenient towards long candidates (a whole
sentence would match any one clause in it), so the mean Jaccard overlap of
the matched pairs is reported too, as a measure of how tight the quotes are.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .extractor import extract_claims
from .model import Candidate, Quantity

MATCHING_RULE = (
    "A candidate matches a gold claim when their spans overlap by at least 50% of the shorter span "
    "and, if the gold claim has a quantity, the candidate's quantity value is equal. Matching is "
    "one-to-one (greedy by Jaccard overlap, then completed to maximum size by augmenting paths). "
    "Field accuracies are over matched pairs: category exact; claimant case-insensitive word-set "
    "containment either way (against the gold claimant or its part before the first comma; both "
    "absent counts as equal); quantity = value+unit+qualifier, over pairs whose gold has a quantity; "
    "hedged exact."
)
MIN_OVERLAP = 0.5


@dataclass(frozen=True)
class GoldClaim:
    document: str
    quote: str
    span_start: int
    span_end: int
    category: str
    claimant: str | None
    quantity_value: Decimal | None
    quantity_unit: str | None
    quantity_qualifier: str | None
    hedged: bool


@dataclass(frozen=True)
class Document:
    name: str
    body: str
    gold: tuple[GoldClaim, ...]


# --- loading -------------------------------------------------------------------------------


def seed_documents() -> list[Document]:
    """The two seed articles and their curated claims (seeds/claims.toml)."""
    from factcheck.services.seeding import load_catalogue

    documents = []
    for article in load_catalogue():
        gold = tuple(
            GoldClaim(
                article.file, c.quote, c.span_start, c.span_end, c.category.value, c.claimant,
                c.quantity_value, c.quantity_unit, c.quantity_qualifier, c.hedged,
            )
            for c in article.claims
        )
        documents.append(Document(article.file, article.draft.body, gold))
    return documents


def fixture_documents(directory: Path) -> list[Document]:
    """Every NAME.txt with a NAME.toml of ``[[claims]]`` in ``directory``, by name."""
    return [_labelled_document(path, path.with_suffix(".toml")) for path in sorted(directory.glob("*.txt"))]


def relabelled_documents(directory: Path, texts: Path) -> list[Document]:
    """Every NAME.toml in ``directory``, a second labelling of the article ``texts``/NAME.txt."""
    return [_labelled_document(texts / (path.stem + ".txt"), path) for path in sorted(directory.glob("*.toml"))]


def _labelled_document(path: Path, gold_path: Path) -> Document:
    from factcheck.services.articles import read_article_file
    from factcheck.services.articles import locate_quote
    from factcheck.services.errors import QuoteNotFound

    body = read_article_file(path.read_bytes(), path.name).body
    data = tomllib.loads(gold_path.read_text(encoding="utf-8"))
    gold = []
    for index, entry in enumerate(data.get("claims", []), start=1):
        try:
            placed = locate_quote(body, entry["quote"], entry.get("occurrence"))
        except QuoteNotFound as exc:
            raise ValueError(f"{gold_path.name}: claim {index}: {exc.message}") from exc
        quantity = entry.get("quantity") or {}
        gold.append(
            GoldClaim(
                path.name, entry["quote"], placed[0], placed[1], entry["category"],
                entry.get("claimant") or None,
                Decimal(str(quantity["value"])) if quantity else None,
                quantity.get("unit"), quantity.get("qualifier"), bool(entry.get("hedged", False)),
            )
        )
    return Document(path.name, body, tuple(gold))


def as_candidates(document: Document) -> list[Candidate]:
    """A labelling's claims as an extractor's candidates: to score one labeller against another."""
    return [
        Candidate(g.quote, g.span_start, g.span_end, g.category, g.claimant,
                  Quantity(g.quantity_value, g.quantity_unit, g.quantity_qualifier)
                  if g.quantity_value is not None else None, g.hedged)
        for g in document.gold
    ]


# --- matching ------------------------------------------------------------------------------


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def jaccard(gold: GoldClaim, candidate: Candidate) -> float:
    inter = overlap(gold.span_start, gold.span_end, candidate.span_start, candidate.span_end)
    union = max(gold.span_end, candidate.span_end) - min(gold.span_start, candidate.span_start)
    return inter / union if union else 0.0


def spans_match(gold: GoldClaim, candidate: Candidate) -> bool:
    shorter = min(gold.span_end - gold.span_start, candidate.span_end - candidate.span_start)
    if shorter <= 0:
        return False
    if overlap(gold.span_start, gold.span_end, candidate.span_start, candidate.span_end) < MIN_OVERLAP * shorter:
        return False
    if gold.quantity_value is not None:
        return candidate.quantity is not None and candidate.quantity.value == gold.quantity_value
    return True


def match(gold: list[GoldClaim], candidates: list[Candidate]) -> dict[int, int]:
    """Gold index -> candidate index, one-to-one, maximum size (see the module docstring)."""
    edges = {
        g: [c for c in range(len(candidates)) if spans_match(gold[g], candidates[c])] for g in range(len(gold))
    }
    pairs = sorted(
        ((jaccard(gold[g], candidates[c]), g, c) for g, cs in edges.items() for c in cs),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    gold_to_cand: dict[int, int] = {}
    cand_to_gold: dict[int, int] = {}
    for _, g, c in pairs:
        if g not in gold_to_cand and c not in cand_to_gold:
            gold_to_cand[g], cand_to_gold[c] = c, g

    def augment(g: int, seen: set[int]) -> bool:
        for c in edges[g]:
            if c in seen:
                continue
            seen.add(c)
            if c not in cand_to_gold or augment(cand_to_gold[c], seen):
                gold_to_cand[g], cand_to_gold[c] = c, g
                return True
        return False

    for g in range(len(gold)):
        if g not in gold_to_cand:
            augment(g, set())
    return gold_to_cand


_CLAIMANT_STOP = {"the", "a", "an", "one", "of", "by", "s"}


def _claimant_words(name: str) -> set[str]:
    name = name.lower().replace("’", "'").replace("'s ", " ").replace("'s,", ",")
    name = re.sub(r"'s$", "", name)
    return {w for w in re.split(r"[^\w-]+", name) if w and w not in _CLAIMANT_STOP}


def claimant_matches(gold: str | None, predicted: str | None) -> bool:
    if not gold or not predicted:
        return not gold and not predicted
    predicted_words = _claimant_words(predicted)
    if not predicted_words:
        return False
    for form in (gold, gold.split(",")[0]):
        gold_words = _claimant_words(form)
        if gold_words and (gold_words <= predicted_words or predicted_words <= gold_words):
            return True
    return False


def quantity_matches(gold: GoldClaim, candidate: Candidate) -> bool:
    q = candidate.quantity
    if gold.quantity_value is None:
        return q is None
    return (
        q is not None
        and q.value == gold.quantity_value
        and (q.unit or "").lower() == (gold.quantity_unit or "").lower()
        and q.qualifier == gold.quantity_qualifier
    )


# --- reports -------------------------------------------------------------------------------


@dataclass
class FieldScore:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += ok
        self.total += 1

    @property
    def rate(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.rate:.1%} ({self.correct}/{self.total})"


@dataclass
class Report:
    name: str
    documents: int = 0
    gold: int = 0
    candidates: int = 0
    matched: int = 0
    quantity_gold: int = 0
    quantity_found: int = 0
    category: FieldScore = field(default_factory=FieldScore)
    claimant: FieldScore = field(default_factory=FieldScore)
    quantity: FieldScore = field(default_factory=FieldScore)
    hedged: FieldScore = field(default_factory=FieldScore)
    jaccard_sum: float = 0.0
    missed: list[GoldClaim] = field(default_factory=list)
    extras: list[tuple[str, Candidate]] = field(default_factory=list)
    mismatches: list[tuple[str, GoldClaim, Candidate]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.candidates if self.candidates else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def quantity_recall(self) -> float:
        return self.quantity_found / self.quantity_gold if self.quantity_gold else 0.0

    @property
    def mean_jaccard(self) -> float:
        return self.jaccard_sum / self.matched if self.matched else 0.0


def evaluate(
    name: str, documents: Iterable[Document], extractor: Callable[[str], list[Candidate]] = extract_claims
) -> Report:
    report = Report(name)
    for document in documents:
        candidates = extractor(document.body)
        gold = list(document.gold)
        pairs = match(gold, candidates)
        report.documents += 1
        report.gold += len(gold)
        report.candidates += len(candidates)
        report.matched += len(pairs)
        matched_candidates = set(pairs.values())
        for g, claim in enumerate(gold):
            if claim.quantity_value is not None:
                report.quantity_gold += 1
            if g not in pairs:
                report.missed.append(claim)
                continue
            candidate = candidates[pairs[g]]
            report.jaccard_sum += jaccard(claim, candidate)
            if claim.quantity_value is not None:
                report.quantity_found += 1
                report.quantity.add(quantity_matches(claim, candidate))
            checks = {
                "category": candidate.category == claim.category,
                "claimant": claimant_matches(claim.claimant, candidate.claimant),
                "hedged": candidate.hedged == claim.hedged,
            }
            report.category.add(checks["category"])
            report.claimant.add(checks["claimant"])
            report.hedged.add(checks["hedged"])
            for field_name, ok in checks.items():
                if not ok:
                    report.mismatches.append((field_name, claim, candidate))
            if claim.quantity_value is not None and not quantity_matches(claim, candidate):
                report.mismatches.append(("quantity", claim, candidate))
        report.extras.extend(
            (document.name, c) for i, c in enumerate(candidates) if i not in matched_candidates
        )
    return report


def format_report(report: Report, *, show_missed: bool = True, show_mismatches: bool = False) -> str:
    lines = [
        f"== {report.name}: {report.documents} articles, {report.gold} gold claims, "
        f"{report.candidates} candidates ==",
        f"span matching: P={report.precision:.3f} R={report.recall:.3f} F1={report.f1:.3f} "
        f"(matched {report.matched})",
        f"figures: {report.quantity_found}/{report.quantity_gold} gold claims with a quantity found "
        f"with the right value ({report.quantity_recall:.1%})",
        f"on matched pairs: category {report.category}; claimant {report.claimant}; "
        f"quantity value+unit+qualifier {report.quantity}; hedged {report.hedged}",
        f"span tightness: mean Jaccard of matched pairs {report.mean_jaccard:.2f}",
    ]
    if show_missed:
        lines.append(f"missed gold claims ({len(report.missed)}):")
        lines.extend(f"  - [{m.document}] {m.category}: {m.quote!r}" for m in report.missed)
    lines.append(f"extra candidates (matching no gold claim): {len(report.extras)}")
    if show_mismatches:
        lines.append(f"field mismatches on matched pairs ({len(report.mismatches)}):")
        for field_name, claim, candidate in report.mismatches:
            if field_name == "category":
                got, want = candidate.category, claim.category
            elif field_name == "claimant":
                got, want = candidate.claimant, claim.claimant
            elif field_name == "hedged":
                got, want = candidate.hedged, claim.hedged
            else:
                q = candidate.quantity
                got = (q.value, q.unit, q.qualifier) if q else None
                want = (claim.quantity_value, claim.quantity_unit, claim.quantity_qualifier)
            lines.append(f"  - {field_name}: got {got!r}, want {want!r} in {claim.quote[:70]!r}")
    return "\n".join(lines)
