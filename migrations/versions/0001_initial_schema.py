"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21

Users, articles, claims, evidence and the append-only claim history, with the
triggers that keep them honest (written by hand: autogenerate does not see them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

user_role = postgresql.ENUM("reviewer", "editor", "admin", name="user_role", create_type=False)
claim_category = postgresql.ENUM(
    "casualties", "weapons", "forces", "distance", "attribution", "event", "other",
    name="claim_category", create_type=False,
)
claim_status = postgresql.ENUM(
    "unverified", "in_review", "pending_approval", "verified", name="claim_status", create_type=False
)
claim_verdict = postgresql.ENUM(
    "false", "misleading", "unproven", "mostly_true", "true", name="claim_verdict", create_type=False
)
evidence_stance = postgresql.ENUM(
    "supports", "refutes", "context", name="evidence_stance", create_type=False
)
ENUMS = (user_role, claim_category, claim_status, claim_verdict, evidence_stance)

TRIGGERS_UP = [
    # History is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
    """
    CREATE FUNCTION claim_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'claim_events is append-only: % is not allowed', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    """
    CREATE TRIGGER claim_events_no_update_delete BEFORE UPDATE OR DELETE ON claim_events
        FOR EACH ROW EXECUTE FUNCTION claim_events_append_only()
    """,
    """
    CREATE TRIGGER claim_events_no_truncate BEFORE TRUNCATE ON claim_events
        FOR EACH STATEMENT EXECUTE FUNCTION claim_events_append_only()
    """,
    # body[span_start:span_end] == quote, always (substr counts characters, as Python does).
    """
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
    """,
    """
    CREATE TRIGGER claims_quote_matches_body
        BEFORE INSERT OR UPDATE OF article_id, quote, span_start, span_end ON claims
        FOR EACH ROW EXECUTE FUNCTION claims_quote_matches_body()
    """,
    # An article's body is immutable once claims point into it.
    """
    CREATE FUNCTION articles_body_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.body IS DISTINCT FROM OLD.body
           AND EXISTS (SELECT 1 FROM claims WHERE article_id = OLD.id) THEN
            RAISE EXCEPTION 'the body of article % cannot change: claims point into it', OLD.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER articles_body_immutable BEFORE UPDATE OF body ON articles
        FOR EACH ROW EXECUTE FUNCTION articles_body_immutable()
    """,
]

TRIGGERS_DOWN = [
    "DROP TRIGGER IF EXISTS articles_body_immutable ON articles",
    "DROP FUNCTION IF EXISTS articles_body_immutable()",
    "DROP TRIGGER IF EXISTS claims_quote_matches_body ON claims",
    "DROP FUNCTION IF EXISTS claims_quote_matches_body()",
    "DROP TRIGGER IF EXISTS claim_events_no_truncate ON claim_events",
    "DROP TRIGGER IF EXISTS claim_events_no_update_delete ON claim_events",
    "DROP FUNCTION IF EXISTS claim_events_append_only()",
]

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    for enum_type in ENUMS:
        enum_type.create(bind, checkfirst=False)
    # The body hash is a generated column; its expression must be IMMUTABLE.
    # The text is always UTF-8 here, so the hash of a given body never changes.
    op.execute(
        """
        CREATE FUNCTION text_sha256_hex(value text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN encode(sha256(convert_to(value, 'UTF8')), 'hex')
        """
    )

    op.create_table('users',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', user_role, nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('failed_login_count', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('first_failed_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('session_version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("username ~ '^[A-Za-z0-9_.-]{1,64}$'", name=op.f('ck_users_username_format')),
    sa.CheckConstraint('failed_login_count >= 0', name=op.f('ck_users_failed_login_count_nonnegative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users'))
    )
    op.create_index('uq_users_username_lower', 'users', [sa.literal_column('lower(username)')], unique=True)
    op.create_table('articles',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('outlet', sa.String(length=200), nullable=True),
    sa.Column('byline', sa.String(length=300), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_sha256', sa.String(length=64), sa.Computed("text_sha256_hex(body)", persisted=True), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("url IS NULL OR url ~* '^https?://'", name=op.f('ck_articles_url_http')),
    sa.CheckConstraint('char_length(btrim(body)) > 0', name=op.f('ck_articles_body_not_blank')),
    sa.CheckConstraint('char_length(btrim(title)) > 0', name=op.f('ck_articles_title_not_blank')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_articles_imported_by_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('body_sha256', name=op.f('uq_articles_body_sha256'))
    )
    op.create_table('claims',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('category', claim_category, nullable=False),
    sa.Column('claimant', sa.String(length=200), nullable=True),
    sa.Column('quantity_value', sa.Numeric(precision=20, scale=4), nullable=True),
    sa.Column('quantity_unit', sa.String(length=60), nullable=True),
    sa.Column('quantity_qualifier', sa.String(length=30), nullable=True),
    sa.Column('hedged', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('hedge_note', sa.String(length=300), nullable=True),
    sa.Column('status', claim_status, server_default='unverified', nullable=False),
    sa.Column('verdict', claim_verdict, nullable=True),
    sa.Column('rationale', sa.Text(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('priority', sa.SmallInteger(), server_default=sa.text('1'), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.CheckConstraint("status <> 'verified' OR (approved_by_id IS NOT NULL AND verified_at IS NOT NULL AND approved_by_id <> proposed_by_id)", name=op.f('ck_claims_verified_needs_other_approver')),
    sa.CheckConstraint("status NOT IN ('pending_approval', 'verified') OR (verdict IS NOT NULL AND rationale IS NOT NULL AND proposed_by_id IS NOT NULL)", name=op.f('ck_claims_verdict_when_proposed')),
    sa.CheckConstraint('char_length(btrim(statement)) > 0', name=op.f('ck_claims_statement_not_blank')),
    sa.CheckConstraint('char_length(quote) = span_end - span_start', name=op.f('ck_claims_quote_fits_span')),
    sa.CheckConstraint('priority BETWEEN 0 AND 3', name=op.f('ck_claims_priority_range')),
    sa.CheckConstraint('quantity_value IS NOT NULL OR (quantity_unit IS NULL AND quantity_qualifier IS NULL)', name=op.f('ck_claims_quantity_parts_need_value')),
    sa.CheckConstraint('span_start >= 0 AND span_start < span_end', name=op.f('ck_claims_span_ordered')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_claims_approved_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_claims_article_id_articles'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_claims_assignee_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_claims_created_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_claims_proposed_by_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims'))
    )
    op.create_index('ix_claims_article_id_span_start', 'claims', ['article_id', 'span_start'], unique=False)
    op.create_index('ix_claims_assignee_id_status', 'claims', ['assignee_id', 'status'], unique=False)
    op.create_index('ix_claims_status_priority_created_at', 'claims', ['status', 'priority', 'created_at'], unique=False)
    op.create_index('ix_claims_verified_at', 'claims', ['verified_at'], unique=False, postgresql_where=sa.text("status = 'verified'"))
    op.create_table('claim_events',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', claim_status, nullable=True),
    sa.Column('to_status', claim_status, nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_claim_events_actor_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_events_claim_id_claims'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_events'))
    )
    op.create_index('ix_claim_events_actor_id_action_created_at', 'claim_events', ['actor_id', 'action', 'created_at'], unique=False)
    op.create_index('ix_claim_events_claim_id_created_at', 'claim_events', ['claim_id', 'created_at'], unique=False)
    op.create_index('ix_claim_events_created_at', 'claim_events', ['created_at'], unique=False)
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('publisher', sa.String(length=200), nullable=True),
    sa.Column('stance', evidence_stance, nullable=False),
    sa.Column('archive_url', sa.Text(), nullable=True),
    sa.Column('accessed_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("archive_url IS NULL OR archive_url ~* '^https?://[^/@[:space:]]+'", name=op.f('ck_evidence_archive_url_http')),
    sa.CheckConstraint("url ~* '^https?://[^/@[:space:]]+'", name=op.f('ck_evidence_url_http')),
    sa.CheckConstraint('char_length(btrim(title)) > 0', name=op.f('ck_evidence_title_not_blank')),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_evidence_added_by_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_evidence_claim_id_claims'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    op.create_index('ix_evidence_claim_id', 'evidence', ['claim_id'], unique=False)

    for statement in TRIGGERS_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in TRIGGERS_DOWN:
        op.execute(statement)
    op.drop_index('ix_evidence_claim_id', table_name='evidence')
    op.drop_table('evidence')
    op.drop_index('ix_claim_events_created_at', table_name='claim_events')
    op.drop_index('ix_claim_events_claim_id_created_at', table_name='claim_events')
    op.drop_index('ix_claim_events_actor_id_action_created_at', table_name='claim_events')
    op.drop_table('claim_events')
    op.drop_index('ix_claims_verified_at', table_name='claims', postgresql_where=sa.text("status = 'verified'"))
    op.drop_index('ix_claims_status_priority_created_at', table_name='claims')
    op.drop_index('ix_claims_assignee_id_status', table_name='claims')
    op.drop_index('ix_claims_article_id_span_start', table_name='claims')
    op.drop_table('claims')
    op.drop_table('articles')
    op.drop_index('uq_users_username_lower', table_name='users')
    op.drop_table('users')
    bind = op.get_bind()
    for enum_type in reversed(ENUMS):
        enum_type.drop(bind, checkfirst=False)
    op.execute("DROP FUNCTION text_sha256_hex(text)")
