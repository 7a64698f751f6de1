"""Feed polling jobs (factcheck/services/feeds.py).

* ``queue_feed_polls`` runs every 30 seconds, as a procrastinate periodic task:
  procrastinate defers each tick once however many workers run (a unique row per
  tick in its periodic_defers table), and it queues a ``poll_feed`` job per due
  feed, at most one waiting per feed (queueing lock ``feed:<id>``).
* ``poll_feed`` runs under the lock ``feed:<id>`` (never two polls of one feed at
  once) and first claims the feed in the database (its next poll moves past a
  lease), so a repeated or late job does nothing; the schedule is in the feeds
  table, so it survives restarts.
* ``import_feed_item`` imports one entry's page; safe to run twice.
"""

from __future__ import annotations

from typing import Any

import procrastinate

from ..services import feeds as feed_service
from ..services import jobs

bp = procrastinate.Blueprint()


def _database(context):
    return context.additional_context["database"]


@bp.periodic(cron="* * * * * */30", periodic_id="feeds")
@bp.task(name="queue_feed_polls", queue=jobs.QUEUE, pass_context=True)
def queue_feed_polls(context, timestamp: int) -> dict[str, Any]:
    with _database(context).session() as session:
        queued = feed_service.queue_due_polls(session)
    return {"queued": queued, "quiet": queued == 0}


@bp.task(name="poll_feed", pass_context=True)
def poll_feed(context, feed_id: int) -> dict[str, Any]:
    """A feed's error is recorded on the feed (and backs it off), not raised: the job succeeds."""
    with _database(context).session() as session:
        return feed_service.poll_feed(session, feed_id).as_fields()


@bp.task(name="import_feed_item", pass_context=True, retry=procrastinate.RetryStrategy(max_attempts=3, wait=10))
def import_feed_item(context, item_id: int) -> dict[str, Any]:
    """A page that cannot be fetched or read is the item's outcome, not a retry; only an
    error of our own (the database) raises and is retried (the import is safe to repeat)."""
    with _database(context).session() as session:
        return feed_service.import_feed_item(session, item_id)
