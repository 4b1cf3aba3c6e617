"""Practice proposals: an editor's change to a published practice, waiting for review

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("proposed_by", sa.String(length=120), nullable=False),
        sa.Column("proposed_token_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_token_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=2000), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')",
                           name=op.f("ck_practice_proposals_status_allowed")),
        sa.CheckConstraint("proposed_by <> ''", name=op.f("ck_practice_proposals_proposed_by_not_empty")),
        sa.CheckConstraint(
            "(status = 'pending' AND decided_at IS NULL AND decided_by IS NULL) OR "
            "(status <> 'pending' AND decided_at IS NOT NULL AND decided_by IS NOT NULL)",
            name=op.f("ck_practice_proposals_decided_when_not_pending"),
        ),
        sa.CheckConstraint("status <> 'rejected' OR decision_note <> ''",
                           name=op.f("ck_practice_proposals_rejection_has_a_note")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"],
                                name=op.f("fk_practice_proposals_practice_id_practices"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["proposed_token_id"], ["api_tokens.id"],
                                name=op.f("fk_practice_proposals_proposed_token_id_api_tokens"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_token_id"], ["api_tokens.id"],
                                name=op.f("fk_practice_proposals_decided_token_id_api_tokens"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_proposals")),
    )
    op.create_index("ix_practice_proposals_practice_status", "practice_proposals", ["practice_id", "status"])
    op.create_index("ix_practice_proposals_status_created", "practice_proposals", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_practice_proposals_status_created", table_name="practice_proposals")
    op.drop_index("ix_practice_proposals_practice_status", table_name="practice_proposals")
    op.drop_table("practice_proposals")
