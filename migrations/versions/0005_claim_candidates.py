"""Claim candidates proposed by the extractor

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

candidate_status = postgresql.ENUM("pending", "accepted", "dismissed", name="candidate_status", create_type=False)
claim_category = postgresql.ENUM(name="claim_category", create_type=False)


def upgrade() -> None:
    candidate_status.create(op.get_bind(), checkfirst=False)
    op.create_table(
        "claim_candidates",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("category", claim_category, nullable=False),
        sa.Column("claimant", sa.String(length=200), nullable=True),
        sa.Column("quantity_value", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("quantity_value_max", sa.Numeric(precision=20, scale=4), nullable=True),
        sa.Column("quantity_unit", sa.String(length=60), nullable=True),
        sa.Column("quantity_qualifier", sa.String(length=30), nullable=True),
        sa.Column("hedged", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("hedge_note", sa.String(length=300), nullable=True),
        sa.Column("score", sa.Float(), server_default=sa.text("0"), nullable=False),
        sa.Column("status", candidate_status, server_default="pending", nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("char_length(quote) = span_end - span_start", name=op.f("ck_claim_candidates_quote_fits_span")),
        sa.CheckConstraint("span_start >= 0 AND span_start < span_end", name=op.f("ck_claim_candidates_span_ordered")),
        sa.CheckConstraint("status <> 'accepted' OR claim_id IS NOT NULL", name=op.f("ck_claim_candidates_accepted_has_claim")),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_claim_candidates_article_id_articles"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_candidates_claim_id_claims"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_claim_candidates_decided_by_id_users"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_candidates")),
        sa.UniqueConstraint("article_id", "span_start", "span_end", name="uq_claim_candidates_span"),
    )
    op.create_index("ix_claim_candidates_article_id_status", "claim_candidates", ["article_id", "status"])
    # The same guarantee as for claims: body[span_start:span_end] == quote.
    op.execute(
        "CREATE TRIGGER claim_candidates_quote_matches_body "
        "BEFORE INSERT OR UPDATE OF article_id, quote, span_start, span_end ON claim_candidates "
        "FOR EACH ROW EXECUTE FUNCTION claims_quote_matches_body()"
    )
    # Candidates point into the body too: it stays frozen once they exist.
    op.execute(
        """
        CREATE OR REPLACE FUNCTION articles_body_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.body IS DISTINCT FROM OLD.body
               AND (EXISTS (SELECT 1 FROM claims WHERE article_id = OLD.id)
                    OR EXISTS (SELECT 1 FROM claim_candidates WHERE article_id = OLD.id)) THEN
                RAISE EXCEPTION 'the body of article % cannot change: claims point into it', OLD.id
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$
        """
    )


def downgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION articles_body_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.body IS DISTINCT FROM OLD.body
               AND EXISTS (SELECT 1 FROM claims WHERE article_id = OLD.id) THEN
                RAISE EXCEPTION 'the body of article % cannot change: claims point into it', OLD.id
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$
        """
    )
    op.execute("DROP TRIGGER claim_candidates_quote_matches_body ON claim_candidates")
    op.drop_index("ix_claim_candidates_article_id_status", table_name="claim_candidates")
    op.drop_table("claim_candidates")
    candidate_status.drop(op.get_bind(), checkfirst=False)
