"""/api/v1/openapi.json: a valid OpenAPI 3.1 document that matches the URL map, both ways,
and whose schemas the API's answers actually fit."""

from __future__ import annotations

import re

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from factcheck.api.openapi import document

from .api_helpers import ApiClient, make_token
from .test_api import claim_in

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _operations_in_url_map(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule[len("/api/v1"):])
        for method in rule.methods - IGNORED_METHODS:
            found.add((method.lower(), path))
    return found


def _operations_in_document(doc) -> set[tuple[str, str]]:
    return {(method, path) for path, item in doc["paths"].items() for method in item}


def test_the_document_is_valid_openapi_3_1(app):
    response = app.test_client().get("/api/v1/openapi.json")  # no token needed
    assert response.status_code == 200
    served = response.get_json()
    assert served["openapi"].startswith("3.1")
    validate(served)  # raises on an invalid document


def test_every_route_is_documented_and_every_operation_exists(app):
    routes, documented = _operations_in_url_map(app), _operations_in_document(document())
    assert routes, "no API routes found"
    assert not routes - documented, f"API routes missing from the OpenAPI document: {sorted(routes - documented)}"
    assert not documented - routes, f"documented operations with no route: {sorted(documented - routes)}"


def test_path_parameters_match_the_routes():
    for path, item in document()["paths"].items():
        names = set(re.findall(r"{([a-z_]+)}", path))
        for method, op in item.items():
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == names, f"{method.upper()} {path}: path parameters {declared} != {names}"


def test_the_check_notices_an_undocumented_route(app):
    """The comparison above is not vacuous: a route added without its entry is found."""
    from flask import Blueprint

    extra = Blueprint("api_extra", __name__, url_prefix="/api/v1")
    extra.add_url_rule("/secret", "secret", lambda: "", methods=["POST"])
    app.register_blueprint(extra)
    assert ("post", "/secret") in _operations_in_url_map(app) - _operations_in_document(document())


def _fits(schema_name: str, value) -> None:
    doc = document()
    validator = OAS31Validator({"$ref": f"#/components/schemas/{schema_name}", "components": doc["components"]})
    errors = sorted(validator.iter_errors(value), key=str)
    assert not errors, [e.message for e in errors[:5]]


def test_answers_fit_their_schemas(app, session, users):
    claim = claim_in(session, users, "verified")
    client = ApiClient(app.test_client(), make_token(session, users["eddie"], "write"))
    _fits("ClaimDetail", client.get(f"/api/v1/claims/{claim.id}").get_json())
    _fits("Article", client.get(f"/api/v1/articles/{claim.article_id}").get_json())
    listed = client.get("/api/v1/claims").get_json()
    assert listed["data"]
    for row in listed["data"]:
        _fits("ClaimSummary", row)
    published = client.post(f"/api/v1/claims/{claim.id}/publish", headers={"If-Match": f'"{claim.version}"'})
    assert published.status_code == 200
    _fits("FactCheck", published.get_json())
    _fits("Problem", client.get("/api/v1/claims/0").get_json())
    with pytest.raises(AssertionError):
        _fits("Claim", {"id": "not a number"})
