"""Local governments: a folded copy of every name, for accent-insensitive name search

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 21:30:00
"""

import json
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fold(names: dict) -> str:
    # The same folding as registry.services.text.fold, repeated here so the migration never changes.
    text = " ".join(str(v) for v in names.values())
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def upgrade() -> None:
    # A plain ADD COLUMN (no batch rebuild): on SQLite a rebuild would drop the search triggers of 0002.
    op.add_column(
        "local_governments",
        sa.Column("search_name", sa.String(length=2000), nullable=False, server_default=sa.text("''")),
    )
    table = sa.table("local_governments", sa.column("id", sa.Integer), sa.column("name", sa.JSON),
                     sa.column("search_name", sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(table.c.id, table.c.name)).all():
        names = row.name if isinstance(row.name, dict) else json.loads(row.name)
        connection.execute(table.update().where(table.c.id == row.id).values(search_name=_fold(names)))


def downgrade() -> None:
    with op.batch_alter_table("local_governments", recreate="never") as batch_op:
        batch_op.drop_column("search_name")
