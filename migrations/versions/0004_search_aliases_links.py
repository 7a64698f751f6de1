"""Full-text search vectors kept by the database, the alias table, claim links

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21

The tsvector columns are GENERATED ... STORED, so PostgreSQL keeps them in
step with the text; autogenerate does not compare generated expressions, so
they are written out here by hand and must match the models' *_SEARCH_SQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

claim_link_kind = postgresql.ENUM("same", "related", name="claim_link_kind", create_type=False)

# Frozen copies of the models' *_SEARCH_SQL at this revision (a test checks
# the database computes the same vectors as the models' expressions).
VECTORS = [
    (
        "claims",
        "setweight(to_tsvector('english', coalesce(quote, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(statement, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(claimant, '')), 'B') || "
        "setweight(to_tsvector('english', coalesce(rationale, '')), 'C')",
    ),
    (
        "evidence",
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(publisher, '')), 'B') || "
        "setweight(to_tsvector('english', coalesce(note, '')), 'C')",
    ),
    (
        "articles",
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(body, '')), 'D')",
    ),
]


def upgrade() -> None:
    for table, expression in VECTORS:
        op.add_column(
            table,
            sa.Column("search_vector", postgresql.TSVECTOR(), sa.Computed(expression, persisted=True), nullable=True),
        )
        op.create_index(f"ix_{table}_search_vector", table, ["search_vector"], postgresql_using="gin")

    op.create_table(
        "alias_groups",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alias_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_alias_groups_name")),
    )
    op.create_table(
        "aliases",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=120), nullable=False),
        sa.CheckConstraint("char_length(btrim(term)) > 0", name=op.f("ck_aliases_term_not_blank")),
        sa.ForeignKeyConstraint(["group_id"], ["alias_groups.id"], name=op.f("fk_aliases_group_id_alias_groups"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aliases")),
    )
    op.create_index("uq_aliases_term_lower", "aliases", [sa.literal_column("lower(term)")], unique=True)
    op.create_index("ix_aliases_group_id", "aliases", ["group_id"])

    claim_link_kind.create(op.get_bind(), checkfirst=False)
    op.create_table(
        "claim_links",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("claim_a_id", sa.Integer(), nullable=False),
        sa.Column("claim_b_id", sa.Integer(), nullable=False),
        sa.Column("kind", claim_link_kind, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("claim_a_id < claim_b_id", name=op.f("ck_claim_links_ordered_pair")),
        sa.ForeignKeyConstraint(["claim_a_id"], ["claims.id"], name=op.f("fk_claim_links_claim_a_id_claims"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["claim_b_id"], ["claims.id"], name=op.f("fk_claim_links_claim_b_id_claims"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_claim_links_created_by_id_users"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_links")),
        sa.UniqueConstraint("claim_a_id", "claim_b_id", name="uq_claim_links_pair"),
    )
    op.create_index("ix_claim_links_claim_b_id", "claim_links", ["claim_b_id"])


def downgrade() -> None:
    op.drop_index("ix_claim_links_claim_b_id", table_name="claim_links")
    op.drop_table("claim_links")
    claim_link_kind.drop(op.get_bind(), checkfirst=False)
    op.drop_index("ix_aliases_group_id", table_name="aliases")
    op.drop_index("uq_aliases_term_lower", table_name="aliases")
    op.drop_table("aliases")
    op.drop_table("alias_groups")
    for table, _ in reversed(VECTORS):
        op.drop_index(f"ix_{table}_search_vector", table_name=table)
        op.drop_column(table, "search_vector")
