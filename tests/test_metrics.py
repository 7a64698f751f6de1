"""/metrics: Prometheus text behind a Bearer token, with bounded labels."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from factcheck import create_app
from tests.helpers import WebClient

TOKEN = "metrics-token-for-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HISTOGRAM = "factcheck_http_request_duration_seconds"


@pytest.fixture
def app(database):
    return create_app(
        {"TESTING": True, "DATABASE": database, "SECRET_KEY": "test-secret-key", "METRICS_TOKEN": TOKEN}
    )


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers=AUTH)
    response.close()
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    response.close()  # the request is counted when its response is closed
    return response


def test_no_token_configured_means_no_endpoint(database):
    app = create_app({"TESTING": True, "DATABASE": database, "SECRET_KEY": "k", "METRICS_TOKEN": None})
    response = get(app.test_client(), "/metrics", headers=AUTH)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
    ],
)
def test_refused_without_the_right_token(client, headers):
    response = get(client.raw, "/metrics", headers=headers)
    assert response.status_code == 401
    assert "factcheck_" not in response.get_data(as_text=True)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_request_is_counted_after_it_is_made(client):
    labels = dict(endpoint="health.healthz", method="GET", status="2xx")
    before = value(scrape(client.raw), f"{HISTOGRAM}_count", **labels)
    assert get(client.raw, "/healthz").status_code == 200
    after = scrape(client.raw)
    assert value(after, f"{HISTOGRAM}_count", **labels) == before + 1
    assert value(after, f"{HISTOGRAM}_bucket", le="+Inf", **labels) == before + 1


def test_fifty_claim_urls_are_one_endpoint_label(app, client, login):
    editor = login("eddie")
    before = scrape(client.raw)
    for claim_id in range(900001, 900051):
        assert get(editor.raw, f"/claims/{claim_id}").status_code == 404
    after = scrape(client.raw)
    endpoint = app.url_map.bind("localhost").match("/claims/900001")[0]
    labels = dict(endpoint=endpoint, method="GET", status="4xx")
    assert value(after, f"{HISTOGRAM}_count", **labels) - value(before, f"{HISTOGRAM}_count", **labels) == 50
    def endpoints(samples):
        return {dict(key[1]).get("endpoint") for key in samples if key[0] == f"{HISTOGRAM}_count"}

    assert endpoints(after) - endpoints(before) <= {endpoint}  # 50 URLs, at most one new label
    assert not any("/" in e or "900" in e for e in endpoints(after))


def test_unknown_urls_share_one_label(app, client):
    before = scrape(client.raw)
    for n in range(5):
        assert get(client.raw, f"/nothing-here-{n}").status_code == 404
    after = scrape(client.raw)
    labels = dict(endpoint="unmatched", method="GET", status="4xx")
    assert value(after, f"{HISTOGRAM}_count", **labels) - value(before, f"{HISTOGRAM}_count", **labels) == 5


def test_made_up_methods_share_one_label(client):
    before = scrape(client.raw)
    for method in ("FOO", "BAR", "PROPFIND"):
        response = client.raw.open("/healthz", method=method)
        response.close()
        assert response.status_code == 405
    after = scrape(client.raw)
    labels = dict(endpoint="unmatched", method="other", status="4xx")  # a 405 matches no rule
    assert value(after, f"{HISTOGRAM}_count", **labels) - value(before, f"{HISTOGRAM}_count", **labels) == 3
    assert not any(dict(key[1]).get("method") in ("FOO", "BAR", "PROPFIND") for key in after)


def test_login_throttling_is_counted(app, client, users):
    before = scrape(client.raw)
    browser = WebClient(app.test_client())
    statuses = []
    for _ in range(7):
        response = browser.post("/login", {"username": "rita", "password": "not her password"})
        statuses.append(response.status_code)
    assert set(statuses) == {422}
    after = scrape(client.raw)
    name = "factcheck_login_throttle_total"
    assert value(after, name, event="blocked", scope="pair") - value(before, name, event="blocked", scope="pair") == 1
    # The pair's fifth failure starts a block; the sixth and seventh attempts are refused unchecked.
    assert value(after, name, event="refused", scope="pair") - value(before, name, event="refused", scope="pair") == 2


def test_pool_gauges_are_published(client):
    samples = scrape(client.raw)
    assert ("factcheck_db_pool_size", ()) in samples
    assert ("factcheck_db_pool_checked_out", ()) in samples


def test_the_job_queue_is_counted_from_the_database(fresh_db_url):
    """The queue is shared by every worker on every host: /metrics reads it from the database,
    whichever app server is scraped."""
    from sqlalchemy import text

    from factcheck.db import Database
    from factcheck.services import jobs

    database = Database.from_url(fresh_db_url)
    try:
        app = create_app({"TESTING": True, "DATABASE": database, "SECRET_KEY": "test-secret-key", "METRICS_TOKEN": TOKEN})
        client = app.test_client()
        before = scrape(client)
        assert value(before, "factcheck_jobs", status="todo") == 0
        assert value(before, "factcheck_jobs_oldest_waiting_seconds") == 0

        with database.session() as session, session.begin():
            first = jobs.defer(session, jobs.SEND_EMAIL, message_id=1)
            jobs.defer(session, jobs.SEND_EMAIL, message_id=2)
        with database.engine.begin() as conn:
            conn.execute(text("UPDATE procrastinate_events SET at = now() - interval '90 seconds' WHERE job_id = :id"),
                         {"id": first})
            conn.execute(text(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, lock, args, status) "
                "VALUES ('factcheck', 'factcheck:send_email', NULL, '{}', 'failed')"
            ))
        after = scrape(client)
        assert value(after, "factcheck_jobs", status="todo") == 2
        assert value(after, "factcheck_jobs", status="failed") == 1
        assert value(after, "factcheck_jobs", status="doing") == 0
        assert 90 <= value(after, "factcheck_jobs_oldest_waiting_seconds") < 600
        assert value(after, "factcheck_webhook_deliveries", status="failed") == 0
    finally:
        database.dispose()
