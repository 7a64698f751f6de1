"""No 500 from anything a client sends to /api/v1: random JSON bodies (the documented
fields and others, of every JSON type), ids and If-Match headers on every write
operation of the OpenAPI document, and random query strings on every list. Every
refusal is problem+json."""

from __future__ import annotations

import logging
import os
import re
import traceback

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.api.openapi import document

from .api_helpers import ApiClient, make_token
from .test_api import claim_in, evidence_of, suggestion_of

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_nan=True), TEXT,
    st.sampled_from(["", " ", "0", "-1", "1e400", "NaN", "2026-02-30", "99999-01-01", "true", "javascript:alert(1)", "\x00"]),
)
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=6)

WRITES = sorted(
    (method.upper(), path, op)
    for path, item in document()["paths"].items()
    for method, op in item.items()
    if method != "get"
)
LISTS = sorted(
    (path, op) for path, item in document()["paths"].items() for method, op in item.items()
    if method == "get" and "{" not in path
)


def _fields(op) -> list[str]:
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    return sorted(body.get("properties", {}))


def _check(response, what: str, caplog) -> None:
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    detail = "".join(traceback.format_exception(*logged[-1].exc_info))[-1500:] if logged else ""
    assert response.status_code < 500, f"{what} -> {response.status_code}\n{detail}"
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json", what
        assert response.get_json()["status"] == response.status_code, what


@pytest.mark.parametrize("method, path, op", WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_fuzz_write_operation(app, session, users, caplog, method, path, op):
    from factcheck.models import LinkImport

    claim = claim_in(session, users, "evidence")
    # An import from a link, fetched and ready to save (what the save operation is fuzzed on).
    link_import = LinkImport(
        url="https://news.example/fuzz", requested_by_id=users["ada"].id, status="ready",
        fetched_from="https://news.example/fuzz", title="A fuzzed story", body="Four rockets hit the harbour on Monday.",
    )
    session.add(link_import)
    session.flush()
    ids = {
        "claim_id": [claim.id, 0, 2**31, 987654],
        "article_id": [claim.article_id, 987654],
        "evidence_id": [evidence_of(session, claim.id).id, 987654],
        "suggestion_id": [suggestion_of(session, users).id, 987654],
        "import_id": [link_import.id, 0, 2**31, 987654],
    }
    client = ApiClient(app.test_client(), make_token(session, users["ada"], "write"))
    fields = _fields(op)
    caplog.set_level(logging.ERROR)

    @SETTINGS
    @given(
        body=st.dictionaries(st.sampled_from(fields) if fields else TEXT, VALUE, max_size=6)
        | st.dictionaries(TEXT, VALUE, max_size=3),
        chosen=st.fixed_dictionaries({name: st.sampled_from(values) for name, values in ids.items()}),
        if_match=st.sampled_from([None, '"1"', '"3"', "*", 'W/"3"', '"99999999999999"', '"3", "4"', "\u00e9"]),
    )
    def run(body, chosen, if_match):
        caplog.clear()
        url = "/api/v1" + re.sub(r"{([a-z_]+)}", lambda m: str(chosen[m.group(1)]), path)
        headers = {} if if_match is None else {"If-Match": if_match}
        response = client.request(method, url, json=body, headers=headers)
        _check(response, f"{method} {url} {headers} {body!r}"[:2000], caplog)

    run()


@pytest.mark.parametrize("path, op", LISTS, ids=[p for p, _ in LISTS])
def test_fuzz_list_query(app, session, users, caplog, path, op):
    claim_in(session, users, "open")
    client = ApiClient(app.test_client(), make_token(session, users["rita"], "read"))
    names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
    caplog.set_level(logging.ERROR)

    @SETTINGS
    @given(
        pairs=st.lists(
            st.tuples(st.sampled_from(names) if names else TEXT, st.one_of(TEXT, SCALAR.map(str))), max_size=5
        )
    )
    def run(pairs):
        caplog.clear()
        response = client.get("/api/v1" + path, query_string=pairs)
        _check(response, f"GET {path} {pairs!r}"[:2000], caplog)

    run()
