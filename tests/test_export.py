"""Verified claims out: the CSV's exact content, its safety, streaming, and ClaimReview JSON-LD."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from factcheck.models import Article, Category, Claim, ClaimStatus, Evidence, Stance, Verdict
from factcheck.services import export
from factcheck.services.dashboard import DashboardFilters

VERIFIED_AT = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
HOSTILE = ["=SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tTab start", "\rReturn start", "\nNewline start"]


@pytest.fixture
def verified(session, users):
    body = "Officials said 29 people died. " + " ".join(HOSTILE) + " Quote, with \"marks\"."
    article = Article(title="=HYPERLINK(\"http://evil.example\")", url="https://news.example/story?a=1&b=2",
                      published_on=date(2026, 3, 1), outlet="Example Wire", body=body)
    session.add(article)
    session.flush()
    rita, eddie = users["rita"].id, users["eddie"].id

    def claim(quote, **extra):
        start = body.index(quote)
        values = dict(
            article_id=article.id, quote=quote, span_start=start, span_end=start + len(quote), statement=quote,
            category=Category.CASUALTIES, status=ClaimStatus.VERIFIED, verdict=Verdict.MOSTLY_TRUE,
            rationale="Two sources agree.", assignee_id=rita, proposed_by_id=rita, proposed_at=VERIFIED_AT,
            approved_by_id=eddie, verified_at=VERIFIED_AT,
        )
        values.update(extra)
        c = Claim(**values)
        session.add(c)
        session.flush()
        return c

    main = claim("29 people died", quantity_value=Decimal("29"), quantity_unit="people", claimant="the ministry")
    session.add_all([
        Evidence(claim_id=main.id, url="https://a.example/1", title="One", stance=Stance.SUPPORTS, added_by_id=rita),
        Evidence(claim_id=main.id, url="https://b.example/2", title="Two", stance=Stance.REFUTES, added_by_id=rita),
    ])
    hostile = [
        claim(h, statement=h, claimant=h, rationale=h, quantity_value=Decimal("-5"), quantity_unit=h.strip() or "x",
              verified_at=VERIFIED_AT.replace(minute=7 + i), verdict=Verdict.FALSE)
        for i, h in enumerate(HOSTILE)
    ]
    quoted = claim('Quote, with "marks"', statement='Line one\nline "two", three', hedged=True)
    claim("Officials said", status=ClaimStatus.PENDING_APPROVAL, approved_by_id=None, verified_at=None)
    session.commit()
    return {"main": main, "hostile": hostile, "quoted": quoted, "article": article}


def _csv(session, fmt=export.CsvFormat.DATA, **filters) -> str:
    return "".join(
        export.stream_verified_claims_csv(
            session, DashboardFilters(**filters), fmt=fmt, claim_url_prefix="https://desk.example.org/claims/"
        )
    )


def _people(session, **filters) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_csv(session, export.CsvFormat.PEOPLE, **filters))))


def test_csv_exact_row(session, verified):
    rows = list(csv.reader(io.StringIO(_csv(session))))
    assert rows[0] == export.CSV_COLUMNS
    main = next(r for r in rows[1:] if r[0] == str(verified["main"].id))
    assert main == [
        str(verified["main"].id),
        "'=HYPERLINK(\"http://evil.example\")",
        "https://news.example/story?a=1&b=2",
        "2026-03-01",
        "29 people died",
        "29 people died",
        "casualties",
        "the ministry",
        "29",
        "people",
        "",
        "false",
        "mostly_true",
        "4",
        "Two sources agree.",
        "supports https://a.example/1 | refutes https://b.example/2",
        "Rita",
        "Eddie",
        "2026-03-04T05:06:07Z",
    ]
    # Pending claims are not exported; every verified one is, once.
    assert len(rows) == 1 + 1 + len(HOSTILE) + 1


@pytest.mark.parametrize("prefix_index", range(len(HOSTILE)))
def test_every_formula_prefix_is_neutralised(session, verified, prefix_index):
    hostile = HOSTILE[prefix_index]
    claim = verified["hostile"][prefix_index]
    row = next(r for r in csv.reader(io.StringIO(_csv(session))) if r[0] == str(claim.id))
    cells = dict(zip(export.CSV_COLUMNS, row))
    for column in ("quote", "statement", "claimant", "rationale"):
        assert cells[column] == "'" + hostile, column
    # Numbers stay numbers: a negative figure is not text to neutralise.
    assert cells["quantity_value"] == "-5"
    assert cells["rating_value"] == "1"
    assert cells["claim_id"].isdigit()


def test_rfc4180_quoting_and_line_ends(session, verified):
    raw = _csv(session)
    assert raw.count("\r\n") >= 1 + len(HOSTILE) + 2
    assert '"Line one\nline ""two"", three"' in raw
    assert '"Quote, with ""marks"""' in raw
    row = next(r for r in csv.reader(io.StringIO(raw)) if r[0] == str(verified["quoted"].id))
    assert row[5] == 'Line one\nline "two", three' and row[11] == "true"


def test_filters_apply(session, verified):
    rows = list(csv.reader(io.StringIO(_csv(session, category=Category.WEAPONS))))
    assert rows == [export.CSV_COLUMNS]
    rows = list(csv.reader(io.StringIO(_csv(session, article_id=verified["article"].id))))
    assert len(rows) == 1 + 1 + len(HOSTILE) + 1


def test_export_streams_in_chunks_while_the_copy_runs(session, verified, monkeypatch):
    """COPY's rows are handed on a few at a time through a bounded queue: with one row per
    chunk and one chunk queued, the first rows are out while the rest are still to come."""
    import threading

    monkeypatch.setattr(export, "CHUNK_BYTES", 1)
    monkeypatch.setattr(export, "QUEUED_CHUNKS", 1)
    stream = export.stream_verified_claims_csv(session, DashboardFilters())
    assert next(stream).startswith("claim_id,")
    first = next(stream)
    assert first.count("\r\n") == 1
    assert any(t.name == "csv-export" for t in threading.enumerate())  # still copying
    rest = list(stream)
    assert len(rest) == 1 + len(HOSTILE)  # one chunk per remaining verified row
    assert not any(t.name == "csv-export" for t in threading.enumerate())


def test_a_download_abandoned_half_way_stops_the_copy_and_leaves_the_connection_usable(
    database, verified, monkeypatch
):
    import threading

    monkeypatch.setattr(export, "CHUNK_BYTES", 1)
    monkeypatch.setattr(export, "QUEUED_CHUNKS", 1)
    stream = export.stream_verified_claims_csv(database.session(), DashboardFilters())
    next(stream), next(stream)
    stream.close()  # what the web server does when the client goes away
    assert not any(t.name == "csv-export" for t in threading.enumerate())
    with database.session() as again:
        verified_rows = again.execute(text("SELECT count(*) FROM claims WHERE status = 'verified'")).scalar_one()
    assert verified_rows == 1 + len(HOSTILE) + 1


def test_filters_with_dates_reach_the_copy(session, verified):
    from datetime import timedelta

    today = datetime.now(timezone.utc).date()
    rows = list(csv.reader(io.StringIO(_csv(session, date_from=today - timedelta(days=1), date_to=today))))
    assert len(rows) == 1 + 1 + len(HOSTILE) + 1
    rows = list(csv.reader(io.StringIO(_csv(session, date_from=today + timedelta(days=1)))))
    assert rows == [export.CSV_COLUMNS]


def test_csv_download(login, verified):
    client = login("eddie")
    response = client.get("/export/verified.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="verified-claims-\d{4}-\d{2}-\d{2}\.csv"', response.headers["Content-Disposition"]
    )
    body = response.get_data()
    assert body.startswith(b"Claim,Verdict,Rating (1-5),Category,")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    with_bom = client.get("/export/verified.csv?bom=1").get_data()
    assert with_bom.startswith("\ufeff".encode()) and with_bom[3:] == body


def test_the_data_format_is_still_there_for_scripts(login, session, verified):
    client = login("eddie")
    response = client.get("/export/verified.csv?format=data")
    assert response.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="verified-claims-data-\d{4}-\d{2}-\d{2}\.csv"', response.headers["Content-Disposition"]
    )
    assert response.get_data(as_text=True) == _csv(session)
    with_filter = client.get("/export/verified.csv?format=data&category=weapons").get_data(as_text=True)
    assert with_filter == ",".join(export.CSV_COLUMNS) + "\r\n"
    # The dashboard offers it, with the page's filters.
    dashboard = client.get("/dashboard?category=weapons").get_data(as_text=True)
    link = re.search(r'<a href="([^"]*format=data[^"]*)">CSV for scripts', dashboard)
    assert link and "category=weapons" in link.group(1)


def test_an_unknown_format_is_refused_with_a_reason(login, verified):
    response = login("eddie").get("/export/verified.csv?format=xlsx")
    assert response.status_code == 400
    assert "format=data" in response.get_data(as_text=True)


def test_reviewers_cannot_export(login, verified):
    for fmt in ("", "?format=data"):
        assert login("rita").get(f"/export/verified.csv{fmt}").status_code == 403


def test_cli_export(fresh_db_url, tmp_path):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import NullPool

    from factcheck.cli import main
    from factcheck.db import sqlalchemy_url
    from factcheck.models import Role
    from factcheck.services import seeding, workflow
    from factcheck.services import users as user_service

    engine = create_engine(sqlalchemy_url(fresh_db_url), poolclass=NullPool)
    with Session(engine, expire_on_commit=False) as s:
        seeding.seed(s)
        rita = user_service.create_user(s, username="rita", password="a long passphrase", role=Role.REVIEWER)
        eddie = user_service.create_user(s, username="eddie", password="a long passphrase", role=Role.EDITOR)
        claim = s.query(Claim).filter_by(quote="killed 29 people").one()
        workflow.take_claim(s, rita.id, claim.id)
        workflow.add_evidence(s, rita.id, claim.id, workflow.EvidenceFields("https://x.example", "X", "supports"))
        workflow.propose_verdict(s, rita.id, claim.id, "true", "Official toll.")
        workflow.approve_verdict(s, eddie.id, claim.id)
    engine.dispose()
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["export", "verified", "-o", str(target)], env={"DATABASE_URL": fresh_db_url})
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    assert len(rows) == 2 and rows[1][4] == "killed 29 people"
    assert "Wrote 1 verified claims" in result.stderr


def test_claimreview_fields(login, verified):
    client = login("eddie")
    response = client.get("/export/claimreview.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    reviews = json.loads(response.get_data(as_text=True))
    review = next(r for r in reviews if r["url"].endswith(f"/claims/{verified['main'].id}"))
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["url"] == f"http://localhost/claims/{verified['main'].id}"
    assert review["claimReviewed"] == "29 people died"
    assert review["reviewRating"] == {
        "@type": "Rating", "ratingValue": 4, "bestRating": 5, "worstRating": 1, "alternateName": "Mostly true",
    }
    assert review["author"] == {"@type": "Organization", "name": "Verification Desk", "url": "http://127.0.0.1:5000/"}
    assert review["datePublished"] == "2026-03-04"
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "the ministry"},
        "datePublished": "2026-03-01",
        "appearance": {
            "@type": "CreativeWork", "url": "https://news.example/story?a=1&b=2",
            "headline": "=HYPERLINK(\"http://evil.example\")",
        },
    }
    assert len(reviews) == 1 + len(HOSTILE) + 1


def test_verified_claim_page_embeds_its_claimreview(login, verified, session):
    client = login("rita")
    page = client.get(f"/claims/{verified['main'].id}").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block
    data = json.loads(block.group(1))
    assert data["@type"] == "ClaimReview" and data["reviewRating"]["ratingValue"] == 4
    pending = session.query(Claim).filter_by(status=ClaimStatus.PENDING_APPROVAL).one()
    assert "application/ld+json" not in client.get(f"/claims/{pending.id}").get_data(as_text=True)


def test_claimreview_block_cannot_break_out_of_its_script(login, session, verified):
    claim = verified["hostile"][0]
    claim.statement = "</script><script>alert(1)</script>"
    session.commit()
    page = login("rita").get(f"/claims/{claim.id}").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block
    assert json.loads(block)["claimReviewed"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize(
    "name, kind",
    [("John Bolton", "Person"), ("Col. Sean Ryan, US military spokesman", "Person"), ("Walid al-Moallem", "Person"),
     ("IRGC", "Organization"), ("the Pentagon", "Organization"), ("Iranian media", "Organization")],
)
def test_claimant_kind(name, kind):
    assert export.schema_author_type(name) == kind


def test_claimreview_urls_come_from_the_public_url_not_the_host_header(app):
    from factcheck.web.filters import absolute_url

    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert "evil.example" not in absolute_url("claims.detail", claim_id=7)
        app.config["PUBLIC_URL"] = "https://desk.example.org"
        assert absolute_url("claims.detail", claim_id=7) == "https://desk.example.org/claims/7"


def test_a_claimreview_export_never_names_the_host_header(login, verified):
    editor = login("eddie")
    cookie = editor.raw.get_cookie("factcheck_session")
    editor.raw.set_cookie("factcheck_session", cookie.value, domain="attacker.test")
    response = editor.get("/export/claimreview.json", headers={"Host": "attacker.test"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "/claims/" in body
    assert "attacker.test" not in body


def test_outside_tests_the_app_refuses_to_start_without_a_public_url(database, monkeypatch):
    from factcheck import ConfigurationError, create_app

    monkeypatch.delenv("FACTCHECK_PUBLIC_URL", raising=False)
    with pytest.raises(ConfigurationError, match="FACTCHECK_PUBLIC_URL"):
        create_app({"DATABASE": database, "SECRET_KEY": "x"})
    app = create_app({"DATABASE": database, "SECRET_KEY": "x", "PUBLIC_URL": "https://desk.example.org"})
    assert app.config["PUBLIC_URL"] == "https://desk.example.org"


def test_trusted_hosts_refuse_other_host_headers(database):
    from factcheck import create_app

    app = create_app(
        {"DATABASE": database, "SECRET_KEY": "x", "TRUSTED_HOSTS": ["desk.example.org"], "PUBLIC_URL": "https://desk.example.org"}
    )
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "desk.example.org"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400


# --- the CSV for people -------------------------------------------------------------


def test_people_csv_row_in_words(session, verified):
    main = verified["main"]
    main.quantity_value, main.quantity_qualifier = Decimal("1500.50"), "over"
    session.add(Evidence(claim_id=main.id, url="https://c.example/3", title="Three", publisher="Wire Ü",
                         stance=Stance.CONTEXT, added_by_id=main.proposed_by_id))
    session.commit()
    raw = _csv(session, export.CsvFormat.PEOPLE)
    assert raw.splitlines()[0] == ",".join(export.PEOPLE_COLUMNS)
    row = next(r for r in _people(session) if r["Link to claim"] == f"https://desk.example.org/claims/{main.id}")
    assert row == {
        "Claim": "29 people died",
        "Verdict": "Mostly true",
        "Rating (1-5)": "4",
        "Category": "Casualties",
        "Claimant": "the ministry",
        "Figure": "over 1,500.5 people",
        "Hedged by source": "No",
        "Quote": "29 people died",
        "Article": "'=HYPERLINK(\"http://evil.example\")",
        "Outlet": "Example Wire",
        "Article date": "2026-03-01",
        "Article link": "https://news.example/story?a=1&b=2",
        # One line per item, in the order added: stance, title, publisher, address.
        "Evidence": "Supports: One — https://a.example/1\n"
        "Refutes: Two — https://b.example/2\n"
        "Context: Three — Wire Ü — https://c.example/3",
        "Rationale": "Two sources agree.",
        "Reviewed by": "Rita",
        "Approved by": "Eddie",
        "Verified (UTC)": "2026-03-04 05:06",
        "Link to claim": f"https://desk.example.org/claims/{main.id}",
    }
    assert len(_people(session)) == 1 + len(HOSTILE) + 1
    assert "\r\n" in raw and "\n\n" not in raw  # CRLF between rows, bare LF inside the evidence cell


@pytest.mark.parametrize("prefix_index", range(len(HOSTILE)))
def test_people_csv_neutralises_every_formula_prefix(session, verified, prefix_index):
    hostile = HOSTILE[prefix_index]
    claim = verified["hostile"][prefix_index]
    row = next(r for r in _people(session) if r["Link to claim"].endswith(f"/claims/{claim.id}"))
    for column in ("Claim", "Quote", "Claimant", "Rationale"):
        assert row[column] == "'" + hostile, column
    assert row["Figure"] == "'-5 " + (hostile.strip() or "x")  # "-5 ..." would be a formula too
    assert row["Verdict"] == "False" and row["Rating (1-5)"] == "1"


def test_people_csv_keeps_any_script_and_quotes(session, verified):
    claim = verified["quoted"]
    claim.statement = "Дейр-эз-Зор: «29» قتيل, 伊朗 \"导弹\" 🚀"
    claim.claimant = None
    session.commit()
    raw = _csv(session, export.CsvFormat.PEOPLE)
    row = next(r for r in _people(session) if r["Link to claim"].endswith(f"/claims/{claim.id}"))
    assert row["Claim"] == "Дейр-эз-Зор: «29» قتيل, 伊朗 \"导弹\" 🚀"
    assert '"Дейр-эз-Зор: «29» قتيل, 伊朗 ""导弹"" 🚀"' in raw
    assert row["Claimant"] == "" and row["Figure"] == "" and row["Evidence"] == "" and row["Hedged by source"] == "Yes"


def test_people_csv_link_comes_from_the_public_url(app, login, verified):
    app.config["PUBLIC_URL"] = "https://desk.example.org"
    editor = login("eddie")
    cookie = editor.raw.get_cookie("factcheck_session")
    editor.raw.set_cookie("factcheck_session", cookie.value, domain="attacker.test")
    response = editor.get("/export/verified.csv", headers={"Host": "attacker.test"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "attacker.test" not in body
    links = [r["Link to claim"] for r in csv.DictReader(io.StringIO(body))]
    assert f"https://desk.example.org/claims/{verified['main'].id}" in links
    assert all(link.startswith("https://desk.example.org/claims/") for link in links)


def test_an_export_slower_than_the_statement_timeout_still_completes(fresh_db_url, monkeypatch):
    """The web's statement timeout caps each query; the export is one COPY that lasts as long as
    its reader takes, so it lifts the cap for its own transaction only."""
    import time

    from sqlalchemy.pool import NullPool

    from factcheck.db import Database, make_engine
    from factcheck.services import demo_data

    loader = make_engine(fresh_db_url, poolclass=NullPool)
    demo_data.generate(loader, articles=5, claims=20_000, seed=3, verified_share=1.0, password="a long passphrase")
    loader.dispose()
    database = Database.from_url(fresh_db_url, statement_timeout=0.3, poolclass=NullPool)
    try:
        monkeypatch.setattr(export, "CHUNK_BYTES", 4_096)
        monkeypatch.setattr(export, "QUEUED_CHUNKS", 1)
        stream = export.stream_verified_claims_csv(database.session(), DashboardFilters())
        chunks = [next(stream), next(stream)]
        time.sleep(0.8)  # a slow reader: PostgreSQL waits to send the rest, the COPY still running
        chunks += list(stream)
        rows = list(csv.reader(io.StringIO("".join(chunks))))
        assert len(rows) == 1 + 20_000
        with database.session() as session:  # and the cap is back for the next query
            assert session.execute(text("SHOW statement_timeout")).scalar_one() == "300ms"
    finally:
        database.dispose()
