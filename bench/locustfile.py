"""The load test's users, for Locust: reviewers work the queue, editors approve.

Started by bench/load.py, which creates the database, the accounts and the
server, then runs `locust -f bench/locustfile.py --headless ...` with:

    LOAD_PASSWORD    the accounts' password
    LOAD_REVIEWERS   comma-separated usernames, one per ReviewerUser
    LOAD_EDITORS     comma-separated usernames, one per EditorUser
    LOAD_RECORDS     where to write one JSON line per request
    LOAD_WAIT        "min,max" seconds of think time between actions (default 0.5,2)

Each virtual user logs in once, through the form, in on_start. Every request is
recorded with its outcome: "ok" (the expected status), "conflict" (a 409, or a
303 whose next page flashes an error: another user got there first) or
"error" (5xx, connection error, any other status).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from html import unescape as html_unescape
import time
import uuid
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
VERSION_INPUT = re.compile(r'name="version" type="hidden" value="(\d+)"')
FLASH_ERROR = re.compile(r'<p class="flash flash--error">([^<]*)</p>')
CLAIM_LINK = re.compile(r'<td><a href="/claims/(\d+)">')
TAKE_ROW = re.compile(
    r'<form method="post" action="/claims/(\d+)/take">\s*<input type="hidden" name="csrf_token" value="[^"]*">'
    r'\s*<input type="hidden" name="version" value="(\d+)">'
)
NEXT_PAGE = re.compile(r'<a rel="next" href="([^"]+)"')
APPROVE_FORM = re.compile(r'action="/claims/(\d+)/approve"')

CATEGORIES = ["", "", "", "casualties", "weapons", "forces", "distance", "attribution", "event", "other"]
STATUSES = ["", "", "unverified", "in_review", "pending_approval", "verified", "open"]
ASSIGNEES = ["", "", "mine", "unassigned"]
HEDGED = ["", "", "yes", "no"]
SORTS = ["", "priority", "oldest", "newest"]
SEARCH_TERMS = [
    "troops", "missiles", "killed", "Mosul", "Aleppo", "Deir Ezzor", "Raqqa", "Pentagon", "health ministry",
    "strike", "rockets", "rebuilding", "militia", "Kirkuk", "Sanaa", "coalition", "drone", "casualties",
    "Benghazi", "independently verified",
]
VERDICTS = ["false", "misleading", "unproven", "mostly_true", "true"]
STANCES = ["supports", "refutes", "context"]

RECORDS: list[list] = []
_reviewers = iter(u for u in os.environ.get("LOAD_REVIEWERS", "").split(",") if u)
_editors = iter(u for u in os.environ.get("LOAD_EDITORS", "").split(",") if u)
_wait = [float(x) for x in os.environ.get("LOAD_WAIT", "0.5,2").split(",")]
_counter = itertools.count(1)


def _dump(**_kwargs) -> None:
    path = os.environ.get("LOAD_RECORDS")
    if not path or not RECORDS:
        return
    with open(path, "w", encoding="utf-8") as out:
        for row in RECORDS:
            out.write(json.dumps(row) + "\n")


events.test_stop.add_listener(_dump)
events.quitting.add_listener(_dump)


class DeskUser(FastHttpUser):
    abstract = True
    wait_time = between(*_wait)
    # A request that takes longer than this is a hang and counts as an error.
    connection_timeout = 30.0
    network_timeout = 30.0
    role = "reviewer"

    # --- plumbing -------------------------------------------------------------

    def on_start(self) -> None:
        self.username = next(self._names, None)
        if self.username is None:
            raise StopUser()  # more users asked for than accounts made
        self.csrf = None
        self.claim_ids: list[int] = []
        self.next_pages: dict[str, str] = {}  # the queue pages by cursor: a list's Next link, per filter set
        self.call("GET", "/login", "GET /login")
        status, _, _ = self.call(
            "POST", "/login", "POST /login",
            {"username": self.username, "password": os.environ["LOAD_PASSWORD"]}, expect=(302,), conflict=(),
        )
        if status != 302:
            raise StopUser()
        self.call("GET", "/claims", "GET /claims")

    def call(self, method, path, name, data=None, expect=None, conflict=(409,)):
        """One request: record it, mark it for Locust, keep the page's CSRF token.
        Returns (status, html, redirect path)."""
        expect = expect or ((303,) if method == "POST" else (200,))
        headers = {}
        body = None
        if data is not None:
            body = urlencode({**data, "csrf_token": self.csrf or ""})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.time()
        t0 = time.perf_counter()
        with self.client.request(method, path, name=name, data=body, headers=headers,
                                 allow_redirects=False, catch_response=True) as resp:
            try:
                html = resp.text or ""
            except Exception:  # noqa: BLE001 - a broken body counts as an error below
                html = ""
            ms = (time.perf_counter() - t0) * 1000
            status = resp.status_code or 0
            error = getattr(resp, "error", None)
            if status in expect and not error:
                outcome, note = "ok", ""
                resp.success()
            elif status in conflict:
                outcome, note = "conflict", "409"
                resp.success()
            else:
                outcome = "error"
                note = f"{type(error).__name__}: {error}" if error else f"unexpected status {status}"
                resp.failure(note)
        match = CSRF_META.search(html)
        if match:
            self.csrf = match.group(1)
        RECORDS.append([started, name, status, round(ms, 2), outcome, note, self.username, path])
        location = resp.headers.get("Location") if status in (301, 302, 303) else None
        if location:
            location = urlsplit(location)._replace(scheme="", netloc="", fragment="").geturl()
        return status, html, location

    def act(self, path, name, data):
        """A POST that answers 303 and the claim page it leads to. Returns the page's
        HTML, or None when the action lost a race (409, or a flashed error)."""
        status, _, location = self.call("POST", path, name, data)
        if status != 303 or not location:
            return None
        _, page, _ = self.call("GET", location, "GET /claims/[id] (after action)")
        flashed = FLASH_ERROR.search(page)
        if flashed:
            record = next(r for r in reversed(RECORDS) if r[1] == name and r[6] == self.username)
            record[4], record[5] = "conflict", "flash: " + flashed.group(1)[:80]
            return None
        return page

    def think(self) -> None:
        time.sleep(random.uniform(*_wait) / 2)

    def queue_url(self, **params) -> str:
        """The first page of these filters, or (mostly) the next page after the one seen last."""
        query = {k: v for k, v in params.items() if v not in ("", None)}
        key = urlencode(sorted(query.items()))
        following = self.next_pages.get(key)
        if following and random.random() < 0.7:
            return following, key
        return "/claims?" + urlencode(query), key

    def list_queue(self, **params) -> str:
        url, key = self.queue_url(**params)
        status, html, _ = self.call("GET", url, "GET /claims")
        if status == 200:
            match = NEXT_PAGE.search(html)
            if match:
                self.next_pages[key] = html_unescape(match.group(1))
            else:
                self.next_pages.pop(key, None)
            ids = [int(x) for x in CLAIM_LINK.findall(html)]
            if ids:
                self.claim_ids = ids
        return html

    # --- what a person does -----------------------------------------------------

    def browse_queue(self) -> None:
        self.list_queue(status=random.choice(STATUSES), category=random.choice(CATEGORIES),
                        assignee=random.choice(ASSIGNEES), hedged=random.choice(HEDGED), sort=random.choice(SORTS))

    def open_claim(self) -> None:
        if not self.claim_ids:
            self.browse_queue()
        if self.claim_ids:
            self.call("GET", f"/claims/{random.choice(self.claim_ids)}", "GET /claims/[id]")

    def search(self) -> None:
        q = random.choice(SEARCH_TERMS)
        extra = random.choice(["", "", "&kind=claims", "&status=unverified", "&category=casualties"])
        self.call("GET", "/search?" + urlencode({"q": q}) + extra, "GET /search")

    def comment_on_claim(self) -> None:
        if not self.claim_ids:
            self.browse_queue()
        if not self.claim_ids:
            return
        claim_id = random.choice(self.claim_ids)
        status, _, _ = self.call("GET", f"/claims/{claim_id}", "GET /claims/[id]")
        if status == 200:
            self.think()
            self.act(f"/claims/{claim_id}/comments", "POST /claims/[id]/comments",
                     {"comment": f"Load-test note {next(_counter)} from {self.username}: checking the figures."})

    def work_a_claim(self) -> None:
        """Take an unassigned claim from the queue, add evidence, comment, propose a verdict."""
        if random.random() < 0.5:  # the top of the default queue, where everybody looks first: races happen
            status, html, _ = self.call("GET", "/claims?status=unverified&assignee=unassigned", "GET /claims")
        else:
            html = self.list_queue(status="unverified", assignee="unassigned", sort=random.choice(SORTS),
                                   category=random.choice(CATEGORIES[:5]))
        rows = TAKE_ROW.findall(html)
        if not rows:
            return
        claim_id, version = random.choice(rows)
        self.think()
        page = self.act(f"/claims/{claim_id}/take", "POST /claims/[id]/take", {"version": version})
        if page is None:
            return  # someone else took it first
        self.think()
        token = uuid.uuid4().hex[:12]
        page = self.act(f"/claims/{claim_id}/evidence", "POST /claims/[id]/evidence", {
            "url": f"https://evidence.example/{claim_id}/{token}",
            "title": f"Source document {token}",
            "stance": random.choice(STANCES),
        })
        if page is None:
            return
        self.think()
        page = self.act(f"/claims/{claim_id}/comments", "POST /claims/[id]/comments",
                        {"comment": f"Evidence {token} checked by {self.username}."})
        if page is None:
            return
        match = VERSION_INPUT.search(page)
        if not match:
            return
        self.think()
        self.act(f"/claims/{claim_id}/propose", "POST /claims/[id]/propose", {
            "version": match.group(1),
            "verdict": random.choice(VERDICTS),
            "rationale": f"The cited source {token} settles it.",
        })

    def approve_one(self) -> None:
        """Open a claim waiting for approval and approve it (when the page offers it)."""
        html = self.list_queue(status="pending_approval", sort=random.choice(SORTS))
        ids = [int(x) for x in CLAIM_LINK.findall(html)]
        if not ids:
            return
        claim_id = random.choice(ids)
        status, page, _ = self.call("GET", f"/claims/{claim_id}", "GET /claims/[id]")
        if status != 200 or not APPROVE_FORM.search(page):
            return  # proposed by this editor, or already approved by another
        match = VERSION_INPUT.search(page)
        if not match:
            return
        self.think()
        self.act(f"/claims/{claim_id}/approve", "POST /claims/[id]/approve", {"version": match.group(1)})


class ReviewerUser(DeskUser):
    fixed_count = int(os.environ.get("LOAD_REVIEWER_COUNT", "42"))
    _names = _reviewers

    @task(5)
    def t_browse(self):
        self.browse_queue()

    @task(4)
    def t_open(self):
        self.open_claim()

    @task(4)
    def t_work(self):
        self.work_a_claim()

    @task(2)
    def t_search(self):
        self.search()

    @task(1)
    def t_comment(self):
        self.comment_on_claim()

    @task(1)
    def t_mine(self):
        self.list_queue(assignee="mine")


class EditorUser(DeskUser):
    fixed_count = int(os.environ.get("LOAD_EDITOR_COUNT", "8"))
    _names = _editors

    @task(5)
    def t_approve(self):
        self.approve_one()

    @task(2)
    def t_browse(self):
        self.browse_queue()

    @task(1)
    def t_dashboard(self):
        self.call("GET", "/dashboard", "GET /dashboard")

    @task(1)
    def t_search(self):
        self.search()

    @task(1)
    def t_work(self):
        self.work_a_claim()
