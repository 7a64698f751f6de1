"""An API client's whole workflow over HTTP against gunicorn (`factcheck serve --production`):
import an article, accept a suggestion, add evidence, propose, approve with a second user's
token, publish, read the fact check -- with `requests`, as a newsroom's script would."""

from __future__ import annotations

import os
import sys

import requests
from click.testing import CliRunner

from factcheck.cli import main

from .api_helpers import ARTICLE_BODY
from .helpers import free_port
from .test_production import SECRET, _running

PASSWORD = "tram paper 42 violet"


def cli(args, url, input=None):
    result = CliRunner().invoke(main, args, env={"DATABASE_URL": url}, input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def test_the_workflow_through_http(fresh_db_url, tmp_path):
    cli(["user", "add", "rita", "--role", "reviewer", "--password-stdin"], fresh_db_url, input=PASSWORD + "\n")
    cli(["user", "add", "eddie", "--role", "editor", "--password-stdin"], fresh_db_url, input=PASSWORD + "\n")
    rita_token = cli(["token", "create", "rita", "--scope", "write", "--name", "desk script"], fresh_db_url)
    eddie_token = cli(["token", "create", "eddie", "--scope", "write", "--name", "editor script"], fresh_db_url)
    reader_token = cli(["token", "create", "eddie", "--scope", "read", "--name", "dashboard"], fresh_db_url)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": fresh_db_url,
        "FACTCHECK_PUBLIC_URL": "https://factcheck.example.org",
        "SECRET_KEY": SECRET,
        "FACTCHECK_INSTANCE": str(tmp_path / "instance"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    argv = [sys.executable, "-m", "factcheck.cli", "serve", "--production", "--port", str(port), "--workers", "2"]
    with _running(argv, env, tmp_path / "server.log", base + "/healthz"):
        api = base + "/api/v1"
        rita, eddie, reader = requests.Session(), requests.Session(), requests.Session()
        rita.headers["Authorization"] = f"Bearer {rita_token}"
        eddie.headers["Authorization"] = f"Bearer {eddie_token}"
        reader.headers["Authorization"] = f"Bearer {reader_token}"

        imported = rita.post(f"{api}/articles", json={"title": "Strike on the market", "body": ARTICLE_BODY}, timeout=30)
        assert imported.status_code == 201, imported.text
        article = imported.json()
        assert imported.headers["Location"] == f"/api/v1/articles/{article['id']}"
        suggestion = next(s for s in article["suggestions"] if s["quote"] == "29 people were killed")

        accepted = rita.post(
            f"{api}/suggestions/{suggestion['id']}/accept",
            json={"statement": "29 people were killed in the strike on the market."},
            timeout=30,
        )
        assert accepted.status_code == 201, accepted.text
        claim = accepted.json()
        assert claim["quantity"] == {"value": 29, "unit": "people", "qualifier": None}
        url = f"{api}/claims/{claim['id']}"

        taken = rita.post(f"{url}/take", headers={"If-Match": accepted.headers["ETag"]}, timeout=30)
        assert taken.status_code == 200 and taken.json()["status"] == "in_review", taken.text

        evidence = rita.post(
            f"{url}/evidence",
            json={"url": "https://example.org/hospital-list", "title": "Hospital list", "stance": "supports", "accessed_on": "2026-12-01"},
            timeout=30,
        )
        assert evidence.status_code == 201, evidence.text

        current = rita.get(url, timeout=30)
        assert [e["title"] for e in current.json()["evidence"]] == ["Hospital list"]
        proposed = rita.post(
            f"{url}/propose", json={"verdict": "true", "rationale": "The hospital lists 29 dead."},
            headers={"If-Match": current.headers["ETag"]}, timeout=30,
        )
        assert proposed.status_code == 200 and proposed.json()["status"] == "pending_approval", proposed.text

        own = rita.post(f"{url}/approve", headers={"If-Match": proposed.headers["ETag"]}, timeout=30)
        assert own.status_code == 403 and own.headers["Content-Type"] == "application/problem+json"
        read_only = reader.post(f"{url}/approve", headers={"If-Match": proposed.headers["ETag"]}, timeout=30)
        assert read_only.status_code == 403
        approved = eddie.post(f"{url}/approve", headers={"If-Match": proposed.headers["ETag"]}, timeout=30)
        assert approved.status_code == 200 and approved.json()["approved_by"]["username"] == "eddie", approved.text

        stale = eddie.post(f"{url}/publish", headers={"If-Match": proposed.headers["ETag"]}, timeout=30)
        assert stale.status_code == 412 and stale.json()["current_version"] == approved.json()["version"]
        published = eddie.post(f"{url}/publish", headers={"If-Match": approved.headers["ETag"]}, timeout=30)
        assert published.status_code == 200, published.text

        checks = reader.get(f"{api}/fact-checks", timeout=30)
        assert checks.status_code == 200
        (check,) = checks.json()["data"]
        assert check["claim_id"] == claim["id"] and check["verdict"] == "true"
        assert check["url"].startswith("https://factcheck.example.org/fact-checks/")
        assert check["claim_review"]["reviewRating"]["alternateName"]
        public = requests.get(base + check["url"].removeprefix("https://factcheck.example.org"), timeout=30)
        assert public.status_code == 200 and "29 people were killed" in public.text

        history = [e["action"] for e in reader.get(url, timeout=30).json()["history"]]
        assert history[0] == "created" and history[-1] == "published"
        assert {"taken", "evidence_added", "verdict_proposed", "approved"} <= set(history)
        for response in (imported, accepted, own, checks):
            assert response.headers["X-Request-Id"]
            assert response.headers["RateLimit-Policy"].startswith('"token";q=')
