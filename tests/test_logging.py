"""One JSON log line per request, and a request id a user can quote."""

from __future__ import annotations

import json
import logging
import re

import pytest

from factcheck.logs import JsonFormatter, configure

HEX32 = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def request_lines(caplog):
    """The per-request records written so far, as the dicts the JSON formatter prints."""
    caplog.set_level(logging.INFO, logger="factcheck.request")
    formatter = JsonFormatter()

    def lines():
        return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "factcheck.request"]

    return lines


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    response.close()  # the line is written when the response is closed (after its last byte)
    return response


def test_each_request_gets_an_id_in_its_header_and_one_json_line(client, request_lines):
    response = _get(client, "/healthz?token=secret-value")
    rid = response.headers["X-Request-Id"]
    assert HEX32.fullmatch(rid)
    (line,) = request_lines()
    assert line["request_id"] == rid
    assert line["msg"] == "request"
    assert line["endpoint"] == "health.healthz"
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"  # the query string (which may hold secrets) is left out
    assert "secret-value" not in json.dumps(line)
    assert line["status"] == 200
    assert line["user_id"] is None
    assert line["duration_ms"] >= 0
    assert line["db_queries"] >= 1 and line["db_ms"] > 0  # /healthz runs SELECT 1
    assert line["db_ms"] <= line["duration_ms"]


def test_two_requests_get_different_ids(client):
    first = _get(client, "/healthz").headers["X-Request-Id"]
    second = _get(client, "/healthz").headers["X-Request-Id"]
    assert first != second


def test_a_well_formed_incoming_id_is_kept(client, request_lines):
    response = _get(client, "/healthz", headers={"X-Request-Id": "lb-7f3a.42_x"})
    assert response.headers["X-Request-Id"] == "lb-7f3a.42_x"
    assert request_lines()[-1]["request_id"] == "lb-7f3a.42_x"


@pytest.mark.parametrize("bad", ["a" * 65, "has space", "<script>", "semi;colon", "é"])
def test_a_malformed_incoming_id_is_replaced(client, bad):
    response = _get(client, "/healthz", headers={"X-Request-Id": bad})
    assert HEX32.fullmatch(response.headers["X-Request-Id"])


def test_error_pages_and_redirects_carry_the_id(client, login, users, request_lines):
    missing = _get(client, "/no-such-page")
    assert missing.status_code == 404
    rid = missing.headers["X-Request-Id"]
    assert rid in missing.get_data(as_text=True)  # shown on the page, to quote
    assert request_lines()[-1]["endpoint"] == "unmatched"
    assert request_lines()[-1]["status"] == 404

    redirect = _get(client, "/claims")  # not logged in: to the log-in page
    assert redirect.status_code in (301, 302, 308)
    assert HEX32.fullmatch(redirect.headers["X-Request-Id"])

    reviewer = login("rita")
    forbidden = reviewer.raw.get("/admin/users")
    forbidden.close()
    assert forbidden.status_code == 403
    assert forbidden.headers["X-Request-Id"] in forbidden.get_data(as_text=True)
    line = request_lines()[-1]
    assert line["status"] == 403
    assert line["user_id"] == users["rita"].id


def test_the_logged_in_user_is_in_the_line(login, users, request_lines):
    editor = login("eddie")
    response = editor.raw.get("/claims")
    response.close()
    line = request_lines()[-1]
    assert line["user_id"] == users["eddie"].id
    assert line["request_id"] == response.headers["X-Request-Id"]


def test_log_level_warning_silences_request_lines(client, caplog):
    caplog.set_level(logging.WARNING, logger="factcheck.request")
    _get(client, "/healthz")
    assert not [r for r in caplog.records if r.name == "factcheck.request"]


def test_other_records_during_a_request_carry_its_id(capfd):
    from factcheck.logs import current_request_id

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure("INFO", json_lines=True)
    try:
        token = current_request_id.set("abc123")
        logging.getLogger("factcheck.test").warning("something %s", "odd")
        current_request_id.reset(token)
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
    err = capfd.readouterr().err.strip().splitlines()[-1]
    record = json.loads(err)
    assert record["msg"] == "something odd"
    assert record["level"] == "WARNING"
    assert record["request_id"] == "abc123"


def test_an_unhandled_error_is_logged_with_the_id_the_page_shows(database, caplog, monkeypatch):
    from factcheck import create_app
    from factcheck.web.auth import session as auth_session

    monkeypatch.setattr(auth_session, "PUBLIC_ENDPOINTS", auth_session.PUBLIC_ENDPOINTS | {"boom"})
    app = create_app({"TESTING": True, "DATABASE": database, "SECRET_KEY": "k"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    formatted: list[dict] = []

    class Formatting(logging.Handler):  # formats when the record is written, as the server's handler does
        def emit(self, record):
            formatted.append(json.loads(JsonFormatter().format(record)))

    handler = Formatting(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    caplog.set_level(logging.INFO)
    try:
        response = app.test_client().get("/boom")
        response.close()
    finally:
        root.removeHandler(handler)
    assert response.status_code == 500
    rid = response.headers["X-Request-Id"]
    assert rid in response.get_data(as_text=True)
    errors = [r for r in formatted if r["level"] == "ERROR"]
    assert errors and errors[0]["request_id"] == rid and "kaboom" in errors[0]["exc"]
    line = [r for r in formatted if r["logger"] == "factcheck.request"][-1]
    assert (line["request_id"], line["status"], line["endpoint"]) == (rid, 500, "boom")


def test_a_streamed_export_is_logged_when_its_last_byte_is_sent(login, users, request_lines):
    admin = login("ada")
    response = admin.raw.get("/export/verified.csv")
    assert response.status_code == 200 and response.is_streamed
    assert not [line for line in request_lines() if line["request_id"] == response.headers["X-Request-Id"]]
    body = response.get_data()  # reads the stream to its end
    response.close()
    assert b"," in body.splitlines()[0]  # the header row at least
    (line,) = [line for line in request_lines() if line["request_id"] == response.headers["X-Request-Id"]]
    assert (line["endpoint"], line["status"], line["user_id"]) == ("dashboard.export_csv", 200, users["ada"].id)
    assert line["db_queries"] >= 1


def test_a_static_file_is_logged_too(client, request_lines):
    """A file handed to the server as it is (static files) never has its response closed by
    Werkzeug, so its line cannot wait for that (it went missing before: the browser tests'
    icon check found no line)."""
    response = _get(client, "/static/css/app.css")
    assert response.status_code == 200
    (line,) = request_lines()
    assert line["endpoint"] == "static" and line["path"] == "/static/css/app.css" and line["status"] == 200
    assert line["request_id"] == response.headers["X-Request-Id"]
