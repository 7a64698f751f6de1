"""E-mail notifications (issue 15), read from a real local SMTP server (aiosmtpd): a reviewer
hears of a claim assigned or sent back to them, the editors of a proposal waiting for
approval; nobody of their own action; a user who turned them off hears nothing."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from factcheck.config import ConfigurationError, smtp_settings
from factcheck.db import Database
from factcheck.models import Role
from factcheck.services import notifications, seeding, workflow
from factcheck.services import users as user_service
from factcheck.services.errors import ValidationFailed
from factcheck.services.workflow import EvidenceFields

from .conftest import PASSWORD
from .test_webhooks import running_worker


class Inbox:
    """What the SMTP server received: one parsed message per recipient."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        for rcpt in envelope.rcpt_tos:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            message["X-Envelope-To"] = rcpt
            with self.lock:
                self.messages.append(message)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return True
            time.sleep(0.05)
        return False


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks it is up by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_smtp_settings_come_from_the_environment():
    assert smtp_settings({}) is None  # no host: no e-mail
    settings = smtp_settings({"FACTCHECK_SMTP_HOST": "mail.example.org", "FACTCHECK_SMTP_USER": "desk"})
    assert (settings.host, settings.port, settings.tls, settings.user) == ("mail.example.org", 587, "starttls", "desk")
    assert smtp_settings({"FACTCHECK_SMTP_HOST": "m", "FACTCHECK_SMTP_TLS": "ssl"}).port == 465
    assert smtp_settings({"FACTCHECK_SMTP_HOST": "m", "FACTCHECK_SMTP_TLS": "none", "FACTCHECK_SMTP_PORT": "2525"}).port == 2525
    with pytest.raises(ConfigurationError, match="FACTCHECK_SMTP_TLS"):
        smtp_settings({"FACTCHECK_SMTP_HOST": "m", "FACTCHECK_SMTP_TLS": "maybe"})
    with pytest.raises(ConfigurationError, match="FACTCHECK_SMTP_PORT"):
        smtp_settings({"FACTCHECK_SMTP_HOST": "m", "FACTCHECK_SMTP_PORT": "99999"})


@pytest.fixture
def desk(fresh_db_url):
    database = Database.from_url(fresh_db_url)
    people = {
        "rita": (Role.REVIEWER, "rita@example.org", True),
        "ron": (Role.REVIEWER, "ron@example.org", False),  # turned them off
        "eddie": (Role.EDITOR, "eddie@example.org", True),
        "erin": (Role.EDITOR, None, False),  # no address
        "ada": (Role.ADMIN, "ada@example.org", True),
    }
    with database.session() as session:
        seeding.seed(session)
        ids = {}
        for name, (role, address, on) in people.items():
            ids[name] = user_service.create_user(
                session, username=name, password=PASSWORD, role=role, display_name=name.capitalize()
            ).id
            if address:
                notifications.update_settings(session, ids[name], address, on)
        claims = list(session.execute(text("SELECT id FROM claims ORDER BY id LIMIT 2")).scalars())
    yield database, ids, claims, fresh_db_url
    database.dispose()


def test_the_right_people_get_the_right_mail_through_a_real_smtp_server(desk, smtp_server, tmp_path, monkeypatch):
    database, ids, (first, second), url = desk
    inbox, port = smtp_server
    with database.session() as session:
        workflow.assign_claim(session, ids["eddie"], first, ids["rita"])  # -> rita
        workflow.assign_claim(session, ids["eddie"], second, ids["ron"])  # ron turned them off: nobody
        workflow.add_evidence(session, ids["rita"], first, EvidenceFields("https://e.example/r", "Ministry report", "supports"))
        workflow.propose_verdict(session, ids["rita"], first, "mostly_true", "Confirmed.")  # -> eddie, ada (erin has no address)
        workflow.send_back(session, ids["eddie"], first, "Which ministry?")  # -> rita (not eddie himself)
        statement = session.execute(text("SELECT statement FROM claims WHERE id = :id"), {"id": first}).scalar_one()

    monkeypatch.setenv("FACTCHECK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FACTCHECK_SMTP_PORT", str(port))
    monkeypatch.setenv("FACTCHECK_SMTP_TLS", "none")
    monkeypatch.setenv("FACTCHECK_MAIL_FROM", "desk@factcheck.example.org")
    monkeypatch.setenv("FACTCHECK_PUBLIC_URL", "https://factcheck.example.org")
    log_path = tmp_path / "worker.log"
    with running_worker(url, log_path):
        assert inbox.wait_for(4), Path(log_path).read_text()[-3000:]
        time.sleep(1.0)  # anything more would come now

    received = sorted((m["X-Envelope-To"], m["Subject"]) for m in inbox.messages)
    assert received == [
        ("ada@example.org", f"Claim #{first} waits for approval"),
        ("eddie@example.org", f"Claim #{first} waits for approval"),
        ("rita@example.org", f"Claim #{first} was assigned to you"),
        ("rita@example.org", f"Claim #{first} was sent back to you"),
    ]
    sent_back = next(m for m in inbox.messages if "sent back" in m["Subject"])
    body = sent_back.get_content()
    assert sent_back["From"] == "desk@factcheck.example.org" and sent_back["To"] == "rita@example.org"
    assert "Eddie sent the proposed verdict" in body and "Which ministry?" in body
    assert statement in body and f"https://factcheck.example.org/claims/{first}" in body
    assert sent_back["Message-ID"].endswith("@factcheck.example.org>")
    assert len({m["Message-ID"] for m in inbox.messages}) == 4


def test_no_mail_server_means_no_mail_jobs(desk, tmp_path, monkeypatch):
    database, ids, (first, _), url = desk
    monkeypatch.delenv("FACTCHECK_SMTP_HOST", raising=False)
    with database.session() as session:
        workflow.assign_claim(session, ids["eddie"], first, ids["rita"])
    with running_worker(url, tmp_path / "worker.log"):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with database.engine.connect() as conn:
                if conn.execute(text("SELECT dispatched_at IS NOT NULL FROM events")).scalar_one():
                    break
            time.sleep(0.1)
        else:
            raise AssertionError("the worker never dispatched the event: nothing was tested")
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'factcheck:send_email'")).scalar_one() == 0


def test_a_user_sets_an_address_and_turns_notifications_off_on_the_account_page(login):
    rita = login("rita")
    page = rita.get("/account/notifications")
    assert page.status_code == 200 and "E-mail address" in page.get_data(as_text=True)
    saved = rita.post("/account/notifications", {"email": "rita@example.org", "notify": "y"})
    assert saved.status_code == 303
    html = rita.get("/account/notifications").get_data(as_text=True)
    assert 'value="rita@example.org"' in html and "checked" in html
    assert rita.post("/account/notifications", {"email": "rita@example.org"}).status_code == 303  # box unticked
    assert "checked" not in rita.get("/account/notifications").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not an address", "notify": "y"}, "Give an e-mail address"),
        ({"email": "", "notify": "y"}, "Give an address to receive notifications"),
    ],
)
def test_the_notification_form_says_what_is_wrong(login, data, message):
    response = login("rita").post("/account/notifications", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_settings_are_checked_by_the_service_too(session, users):
    with pytest.raises(ValidationFailed):
        notifications.update_settings(session, users["rita"].id, "two@@example.org", True)


