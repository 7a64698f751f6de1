"""Quote check without re-reading the article per claim

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

The invariant stays the database's: for every claim and every suggested claim
(claim_candidates), ``articles.body[span_start:span_end] == quote``, counted
in characters as Python counts them. Only the mechanism changes.

Before: a BEFORE ... FOR EACH ROW trigger read the article's body and called
``substr(body, span_start + 1, len)``. Each call fetched the body again from
TOAST (decompressing it) and, the database being UTF-8, counted characters
from the start of the body up to ``span_start``; so inserting N rows cost
N x body size. Importing a 1 MB article with its ~12,000 suggestions spent
more than a minute in that trigger.

After: AFTER ... FOR EACH STATEMENT triggers with transition tables
(``quotes_match_bodies()``). Per statement, the changed rows are read in
article order; each article's body is read once (FOR SHARE, so a concurrent
change of the body waits for this transaction and then sees its rows through
``articles_body_immutable``) and cut, in one linear regular-expression pass,
into pieces of 200 characters held in an array. A row's quote is then compared
with the one to a few pieces around its span: the work is linear in the bodies
touched plus the quotes, whatever the number of rows. A row whose quote does
not match raises check_violation and the whole statement fails, as before.

For UPDATE the trigger cannot name columns (PostgreSQL refuses column lists
with transition tables), so it fires on every UPDATE statement but checks only
the rows whose article_id, quote, span_start or span_end changed: a status
change reads no body.

Also here, for the article list's keyset pages (newest first, by
imported_at then id): an index on articles (imported_at, id), read forwards
or backwards, so that any page, the oldest included, is a short index range.

Alternatives not taken: checking in the service layer only (the database
would no longer guarantee anything for other writers); comparing an md5 or a
length (does not prove the quote is at that position); storing byte offsets
(changes the meaning of the spans every other part of the code uses).
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PIECE = 200  # characters per piece; PostgreSQL regular expressions allow bounds up to 255

CHECK_FUNCTION = f"""
CREATE FUNCTION quotes_match_bodies() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed refcursor;
    r record;
    current_article integer;
    article_found boolean := false;
    pieces text[];
    first_piece integer;
    last_piece integer;
    around text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        OPEN changed FOR
            SELECT n.article_id, n.span_start, n.span_end, n.quote
            FROM new_rows n
            ORDER BY n.article_id;
    ELSE
        OPEN changed FOR
            SELECT n.article_id, n.span_start, n.span_end, n.quote
            FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
            WHERE o.id IS NULL
               OR (o.article_id, o.quote, o.span_start, o.span_end)
                  IS DISTINCT FROM (n.article_id, n.quote, n.span_start, n.span_end)
            ORDER BY n.article_id;
    END IF;
    LOOP
        FETCH changed INTO r;
        EXIT WHEN NOT FOUND;
        IF current_article IS DISTINCT FROM r.article_id THEN
            current_article := r.article_id;
            PERFORM 1 FROM articles WHERE id = r.article_id FOR SHARE;
            article_found := FOUND;
            IF article_found THEN
                pieces := ARRAY(
                    SELECT p.m[1]
                    FROM articles a,
                         regexp_matches(a.body, '.{{1,{PIECE}}}', 'gs') WITH ORDINALITY AS p(m, k)
                    WHERE a.id = r.article_id
                    ORDER BY p.k
                );
            END IF;
        END IF;
        CONTINUE WHEN NOT article_found;  -- the foreign key reports the missing article
        first_piece := r.span_start / {PIECE} + 1;
        last_piece := (r.span_end - 1) / {PIECE} + 1;
        IF last_piece - first_piece < 4 THEN
            around := '';
            FOR k IN first_piece .. last_piece LOOP
                around := around || coalesce(pieces[k], '');
            END LOOP;
        ELSE
            SELECT string_agg(pieces[k], '' ORDER BY k) INTO around
            FROM generate_series(first_piece, last_piece) AS k;
        END IF;
        IF r.span_start < 0 OR r.span_end <= r.span_start
           OR substr(around, r.span_start % {PIECE} + 1, r.span_end - r.span_start) IS DISTINCT FROM r.quote THEN
            RAISE EXCEPTION '% quote does not match article % at [%:%]',
                CASE TG_TABLE_NAME WHEN 'claims' THEN 'claim' ELSE 'suggested claim' END,
                r.article_id, r.span_start, r.span_end
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    CLOSE changed;
    RETURN NULL;
END $$
"""

TABLES = ("claims", "claim_candidates")


def upgrade() -> None:
    op.create_index("ix_articles_imported_at_id", "articles", ["imported_at", "id"])
    op.execute("DROP TRIGGER claims_quote_matches_body ON claims")
    op.execute("DROP TRIGGER claim_candidates_quote_matches_body ON claim_candidates")
    op.execute("DROP FUNCTION claims_quote_matches_body()")
    op.execute(CHECK_FUNCTION)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_quotes_inserted AFTER INSERT ON {table} "
            "REFERENCING NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION quotes_match_bodies()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_quotes_updated AFTER UPDATE ON {table} "
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION quotes_match_bodies()"
        )


OLD_FUNCTION = """
CREATE FUNCTION claims_quote_matches_body() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    article_body text;
BEGIN
    SELECT body INTO article_body FROM articles WHERE id = NEW.article_id;
    IF NOT FOUND THEN
        RETURN NEW;  -- the foreign key reports the missing article
    END IF;
    IF NEW.span_end > char_length(article_body)
       OR substr(article_body, NEW.span_start + 1, NEW.span_end - NEW.span_start)
          IS DISTINCT FROM NEW.quote THEN
        RAISE EXCEPTION 'claim quote does not match article % at [%:%]',
            NEW.article_id, NEW.span_start, NEW.span_end
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$
"""


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_quotes_updated ON {table}")
        op.execute(f"DROP TRIGGER {table}_quotes_inserted ON {table}")
    op.execute("DROP FUNCTION quotes_match_bodies()")
    op.execute(OLD_FUNCTION)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_quote_matches_body "
            f"BEFORE INSERT OR UPDATE OF article_id, quote, span_start, span_end ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION claims_quote_matches_body()"
        )
    op.drop_index("ix_articles_imported_at_id", table_name="articles")
