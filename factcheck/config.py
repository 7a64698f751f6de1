"""Settings from the environment.

DATABASE_URL      postgresql://... ; unset means the embedded PostgreSQL.
DATABASE_REPLICA_URL  postgresql://... of a streaming standby of DATABASE_URL: reads
                  that tolerate a little lag go there (factcheck/replica.py).
FACTCHECK_REPLICA_MAX_LAG  seconds the standby may lag before those reads go
                  back to the primary (default 5).
SECRET_KEY        signs session cookies; unset means one generated once and
                  kept in the instance folder, so sessions survive restarts.
FACTCHECK_INSTANCE  the instance folder (default ./instance).
FACTCHECK_SECURE_COOKIES  1 when served over HTTPS (cookies get Secure).
FACTCHECK_ORG_NAME / FACTCHECK_ORG_URL  who publishes the ClaimReviews.
FACTCHECK_PUBLIC_URL  the site's address for absolute links (ClaimReview urls);
                  unset means the address of the request.
FACTCHECK_TRUSTED_HOSTS  comma-separated host names the app answers to.
FACTCHECK_STATEMENT_TIMEOUT  seconds any one query of a web request may run
                  (default 10).
FACTCHECK_METRICS_TOKEN  the Bearer token /metrics asks for; unset means no /metrics (404).
FACTCHECK_LOG_LEVEL  DEBUG, INFO (default), WARNING, ERROR or CRITICAL.
FACTCHECK_PUBLIC_RATE_LIMIT  requests a minute one client address may make to
                  the public fact-check pages (default 120; 0 turns it off).
FACTCHECK_PUBLIC_PAGE_CACHE  drawn fact-check pages each worker keeps by ETag
                  (default 256; 0 draws every page each time).
FACTCHECK_API_RATE_LIMIT  requests a minute one API token may make (default 600;
                  0 turns it off).
FACTCHECK_SMTP_HOST  the mail server for e-mail notifications; unset means none
                  are sent. FACTCHECK_SMTP_PORT (default 587 with STARTTLS,
                  465 with FACTCHECK_SMTP_TLS=ssl, else 25), FACTCHECK_SMTP_TLS
                  (starttls, ssl or none; default starttls),
                  FACTCHECK_SMTP_USER / FACTCHECK_SMTP_PASSWORD (log-in, if
                  any), FACTCHECK_MAIL_FROM (default factcheck@localhost).
FACTCHECK_PROXY_COUNT  how many reverse proxies stand in front of the app (0-5,
                  default 0): the client address and scheme are then taken
                  from that many X-Forwarded-For / X-Forwarded-Proto entries.
FACTCHECK_FETCH_ALLOW_HOSTS  comma-separated host names and IP addresses that
                  links may point to even though they are private, loopback or
                  otherwise internal (default none: such links are refused).
FACTCHECK_FETCH_MAX_BYTES  the largest page body fetched from a link, in bytes
                  after decompression (default 5000000).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

_TRUE = {"1", "true", "yes", "on"}


class ConfigurationError(RuntimeError):
    """A setting the app cannot run without is missing or wrong; the message says how to fix it."""


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    secret_key: str
    instance_path: Path
    secure_cookies: bool
    org_name: str
    org_url: str
    public_url: str | None
    trusted_hosts: list[str] | None
    log_level: str
    statement_timeout: float
    metrics_token: str | None = None
    proxy_count: int = 0
    public_rate_limit: int = 120
    public_page_cache: int = 256
    api_rate_limit: int = 600
    replica_url: str | None = None
    replica_max_lag: float = 5.0


def instance_path_from(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("FACTCHECK_INSTANCE") or Path.cwd() / "instance").resolve()


def _normalise_database_url(url: str | None) -> str | None:
    if not url:
        return None
    # Heroku-style URLs use the scheme SQLAlchemy 2 no longer accepts.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def read_or_create_secret_key(instance_path: Path) -> str:
    """The instance's secret key, created on first use.

    Created with O_EXCL so that several gunicorn workers starting at once
    agree on one key instead of each writing its own.
    """
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = key_file.read_text(encoding="ascii").strip()
        if key:
            return key
        # An empty file means a writer died half-way; the next start retries.
        key_file.unlink(missing_ok=True)
        return read_or_create_secret_key(instance_path)
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    instance_path = instance_path_from(env)
    secret_key = env.get("SECRET_KEY") or read_or_create_secret_key(instance_path)
    public_url = (env.get("FACTCHECK_PUBLIC_URL") or "").rstrip("/") or None
    return Settings(
        database_url=_normalise_database_url(env.get("DATABASE_URL")),
        secret_key=secret_key,
        instance_path=instance_path,
        secure_cookies=env.get("FACTCHECK_SECURE_COOKIES", "").strip().lower() in _TRUE,
        org_name=env.get("FACTCHECK_ORG_NAME", "Verification Desk"),
        # The organisation's address in ClaimReview: by default the public site's home.
        org_url=env.get("FACTCHECK_ORG_URL") or (f"{public_url}/" if public_url else "http://127.0.0.1:5000/"),
        public_url=public_url,
        trusted_hosts=[h.strip() for h in env.get("FACTCHECK_TRUSTED_HOSTS", "").split(",") if h.strip()] or None,
        log_level=log_level(env),
        statement_timeout=_seconds(env, "FACTCHECK_STATEMENT_TIMEOUT", 10.0),
        metrics_token=env.get("FACTCHECK_METRICS_TOKEN", "").strip() or None,
        proxy_count=_proxy_count(env),
        public_rate_limit=_public_rate_limit(env),
        public_page_cache=_public_page_cache(env),
        api_rate_limit=_api_rate_limit(env),
        replica_url=_normalise_database_url(env.get("DATABASE_REPLICA_URL")),
        replica_max_lag=_seconds(env, "FACTCHECK_REPLICA_MAX_LAG", 5.0),
    )


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def log_level(environ: Mapping[str, str] | None = None) -> str:
    """FACTCHECK_LOG_LEVEL, checked (read on its own: logging is set up before anything else)."""
    env = os.environ if environ is None else environ
    level = (env.get("FACTCHECK_LOG_LEVEL") or "INFO").strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigurationError(f"FACTCHECK_LOG_LEVEL={env.get('FACTCHECK_LOG_LEVEL')!r}: use one of {', '.join(LOG_LEVELS)}")
    return level


def _whole_number(env: Mapping[str, str], name: str, default: int, maximum: int, meaning: str) -> int:
    """A setting that is a whole number from 0 to ``maximum`` (``default`` when unset)."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and int(raw) <= maximum):
        raise ConfigurationError(f"{name}={raw!r}: give {meaning}, 0 to {maximum}")
    return int(raw)


def _public_rate_limit(env: Mapping[str, str]) -> int:
    return _whole_number(
        env, "FACTCHECK_PUBLIC_RATE_LIMIT", 120, 1_000_000, "the requests a minute one client may make (0: no limit)"
    )


def _api_rate_limit(env: Mapping[str, str]) -> int:
    return _whole_number(
        env, "FACTCHECK_API_RATE_LIMIT", 600, 1_000_000, "the requests a minute one token may make (0: no limit)"
    )


def _public_page_cache(env: Mapping[str, str]) -> int:
    return _whole_number(
        env, "FACTCHECK_PUBLIC_PAGE_CACHE", 256, 100_000, "how many drawn pages each worker keeps (0: none)"
    )


def _proxy_count(env: Mapping[str, str]) -> int:
    raw = env.get("FACTCHECK_PROXY_COUNT", "").strip()
    if not raw:
        return 0
    if raw not in ("0", "1", "2", "3", "4", "5"):
        raise ConfigurationError(
            f"FACTCHECK_PROXY_COUNT={raw!r}: give how many reverse proxies stand in front of the app, 0 to 5"
        )
    return int(raw)


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:
        raise ConfigurationError(f"{name}={raw!r}: give a number of seconds between 0 and 3600")
    return value


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str  # "starttls", "ssl" or "none"
    user: str | None
    password: str | None
    sender: str


def smtp_settings(environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The mail server for notifications, or None when FACTCHECK_SMTP_HOST is unset (no e-mail)."""
    env = os.environ if environ is None else environ
    host = (env.get("FACTCHECK_SMTP_HOST") or "").strip()
    if not host:
        return None
    tls = (env.get("FACTCHECK_SMTP_TLS") or "starttls").strip().lower()
    if tls not in ("starttls", "ssl", "none"):
        raise ConfigurationError(f"FACTCHECK_SMTP_TLS={tls!r}: use starttls, ssl or none")
    raw_port = (env.get("FACTCHECK_SMTP_PORT") or "").strip()
    if raw_port:
        if not (raw_port.isascii() and raw_port.isdigit() and 0 < int(raw_port) < 65536):
            raise ConfigurationError(f"FACTCHECK_SMTP_PORT={raw_port!r}: give a port number, 1 to 65535")
        port = int(raw_port)
    else:
        port = {"starttls": 587, "ssl": 465, "none": 25}[tls]
    return SmtpSettings(
        host=host,
        port=port,
        tls=tls,
        user=(env.get("FACTCHECK_SMTP_USER") or "").strip() or None,
        password=env.get("FACTCHECK_SMTP_PASSWORD") or None,
        sender=(env.get("FACTCHECK_MAIL_FROM") or "factcheck@localhost").strip(),
    )


@dataclass(frozen=True)
class FetchSettings:
    allow_hosts: frozenset[str]  # lower-case host names and normalised IP addresses
    max_bytes: int
    user_agent: str


def normalise_host(host: str) -> str:
    """A host name lower-cased, or an IP address in its canonical form ("[::1]" and "::1" agree)."""
    import ipaddress

    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host.rstrip(".")


def fetch_settings(environ: Mapping[str, str] | None = None) -> FetchSettings:
    """How links are fetched (factcheck/fetching/fetch.py); read on each use so a test or admin change applies."""
    env = os.environ if environ is None else environ
    allow: set[str] = set()
    for entry in (env.get("FACTCHECK_FETCH_ALLOW_HOSTS") or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        if any(c in entry for c in "/@ \t") or "://" in entry:
            raise ConfigurationError(
                f"FACTCHECK_FETCH_ALLOW_HOSTS: {entry!r} is not a host name or IP address "
                "(give names such as intranet.example or addresses such as 10.0.0.5, separated by commas)"
            )
        allow.add(normalise_host(entry))
    raw = (env.get("FACTCHECK_FETCH_MAX_BYTES") or "").strip()
    if not raw:
        max_bytes = 5_000_000
    elif raw.isascii() and raw.isdigit() and 1024 <= int(raw) <= 1_000_000_000:
        max_bytes = int(raw)
    else:
        raise ConfigurationError(f"FACTCHECK_FETCH_MAX_BYTES={raw!r}: give a number of bytes, 1024 to 1000000000")
    public_url = (env.get("FACTCHECK_PUBLIC_URL") or "").rstrip("/")
    contact = (f"{public_url}/" if public_url else "") or env.get("FACTCHECK_ORG_URL") or "http://127.0.0.1:5000/"
    return FetchSettings(
        allow_hosts=frozenset(allow),
        max_bytes=max_bytes,
        user_agent=f"FactcheckTracker/0.1 (+{contact})",
    )
